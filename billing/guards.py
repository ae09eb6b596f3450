"""The role billing brings (the clinician who books rooms and pays for them), and who may do what."""

from backend.i18n import N_

ROLES = {"clinician": N_("Clinician")}
ROOM_KEEPERS = ("administrator", "treasurer")
TREASURERS = ("administrator", "treasurer")
BOOKERS = ("administrator", "clinician")
