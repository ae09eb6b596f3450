"""The floor plan, kept by contracts rather than memory (`[tool.importlinter]` in pyproject.toml):
the plumbing (`backend/`) imports no domain, `tenants/` no domain above it, meetings, partners and
billing never each other, the composition root (`solidaire/`) sits on top; inside the meetings each
module on its floor (the ballot box names no kind of vote); and no module imports another in a
circle. The contracts are shown to fail on the faults they guard against, in a copy of the tree."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("backend", "tenants", "governance", "billing", "solidaire")


def test_the_import_contracts_hold():
    assert lint_imports(config_filename="pyproject.toml", no_cache=True) == 0, "see the broken contract printed above"


def _floors() -> dict[str, list[str]]:
    """Each domain's floors (its layers contract), by package."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {c["containers"][0]: c["layers"] for c in config["tool"]["importlinter"]["contracts"] if "containers" in c}


def test_every_domain_has_its_floors_and_every_module_its_floor():
    floors = _floors()
    assert set(floors) == {"tenants", "governance.members", "governance.meetings", "governance.partners", "billing"}
    for package, layers in floors.items():
        placed = {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}
        modules = {path.stem for path in (ROOT / package.replace(".", "/")).glob("*.py")} - {"__init__"}
        assert modules - placed == set(), f"put the new modules of {package} on a floor of its contract"


def test_every_module_says_what_it_keeps():
    bare = [str(path.relative_to(ROOT)) for package in PACKAGES for path in (ROOT / package).rglob("*.py") if not ast.get_docstring(ast.parse(path.read_text()))]
    assert bare == [], "a docstring on top of every module"


@pytest.mark.parametrize(("module", "fault"), [
    ("backend/web.py", "import json"),  # (no fault: the copy itself keeps the contracts)
    ("governance/meetings/votes.py", "from governance.meetings import elections"),  # the box naming a kind of vote
    ("governance/meetings/services.py", "from governance.meetings import pages"),  # a service reaching up to a page
    ("backend/web.py", "import tenants.services"),  # the plumbing knowing a domain
    ("billing/rules.py", "import governance.meetings.rules"),  # one domain importing another
    ("billing/invoicing.py", "from billing import pages"),  # an invoice reaching up to a page
    ("governance/members/rules.py", "from governance.members import tables"),  # a pure rule reading a table
    ("governance/partners/services.py", "from governance.partners import committees"),  # the program naming a wing
    ("tenants/services.py", "import governance.members.services"),  # tenants knowing the register
])
def test_the_contracts_fail_on_a_fault(tmp_path, module, fault):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "locale", "templates", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / module).open("a") as source:
        source.write(f"\n{fault}  # noqa\n")
    checked = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))"],
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
    )
    broken = fault != "import json"
    assert (checked.returncode, "BROKEN" in checked.stdout) == (int(broken), broken), checked.stdout + checked.stderr
