"""The role billing brings (the clinician who books rooms and pays for them), and who may do what."""

ROLES = ("clinician",)
ROOM_KEEPERS = ("administrator", "treasurer")
TREASURERS = ("administrator", "treasurer")
BOOKERS = ("administrator", "clinician")
