"""The floor plan, kept by contracts rather than memory (`[tool.importlinter]` in pyproject.toml):
the plumbing (`backend/`) imports no domain, `tenants/` no domain above it, meetings, partners and
billing never each other, the composition root (`solidaire/`) sits on top; and no module imports
another in a circle."""

from importlinter.cli import lint_imports


def test_the_import_contracts_hold():
    assert lint_imports(config_filename="pyproject.toml", no_cache=True) == 0, "see the broken contract printed above"
