"""Every action a domain writes in the audit log has a name in words (its labels module adds it to
tenants.labels.AUDIT_ACTIONS), so the log's page never shows a code to the secretary: the codes
are read from the source, in every call that records an event."""

import ast
import re
from pathlib import Path
from typing import get_args, get_type_hints

from billing import labels as _billing_labels  # noqa: F401  (each domain names its actions when imported)
from governance.meetings import labels as _meetings_labels  # noqa: F401
from governance.members import labels as _members_labels  # noqa: F401
from governance.members.share_rules import Operation
from governance.partners import labels as _partners_labels  # noqa: F401
from governance.partners.schemas import ClaimDecision, HoursDecision
from tenants.labels import AUDIT_ACTIONS

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tenants", "governance", "billing")
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
RECORDING = {"record", "audit", "_record"}  # tenants.services.record and each domain's helper around it

# The codes made from a value: the values each can take.
FAMILIES = {
    "f'meeting.{what}'": ("changed", "postponed"),
    "f'meeting.{status}'": ("in_session", "adjourned"),
    "f'share.{kind}'": tuple(Operation),
    "f'hours.{data.status}'": get_args(get_type_hints(HoursDecision)["status"]),
    "f'expense_claim.{data.status}'": get_args(get_type_hints(ClaimDecision)["status"]),
    "f'payment.{status}'": ("processing", "succeeded", "failed"),
    "f'payment.{kind}'": ("refund", "dispute", "reinstatement"),
    "f\"{invoice['kind']}.issued\"": ("invoice", "credit_note"),
    "f'account_credit.{kind}'": ("overpayment", "applied", "refund"),
}


def recorded_codes() -> tuple[set[str], set[str]]:
    """The codes written as text in the recording calls, and the f-strings that make the others."""
    codes, made = set(), set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or getattr(node.func, "attr", getattr(node.func, "id", None)) not in RECORDING:
                    continue
                for argument in node.args[:4]:
                    choices = [argument.body, argument.orelse] if isinstance(argument, ast.IfExp) else [argument]
                    for choice in choices:
                        if isinstance(choice, ast.Constant) and isinstance(choice.value, str) and CODE.match(choice.value):
                            codes.add(choice.value)
                        elif isinstance(choice, ast.JoinedStr):
                            made.add(ast.unparse(choice))
    return codes, made


def test_every_action_recorded_has_a_name():
    codes, made = recorded_codes()
    assert len(codes) > 100  # the walk found the calls
    assert made <= FAMILIES.keys(), f"a code made from a value: list its values in FAMILIES: {made - FAMILIES.keys()}"
    for family in made:
        codes |= {_filled(family, value) for value in FAMILIES[family]}
    assert sorted(code for code in codes if code not in AUDIT_ACTIONS) == []


def _filled(family: str, value: str) -> str:
    """The code an f-string of FAMILIES makes with `value`."""
    return re.sub(r"\{[^}]*\}", value, ast.literal_eval(family.removeprefix("f")))
