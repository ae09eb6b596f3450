"""The role billing brings: the clinician who books rooms and pays for them."""

ROLES = ("clinician",)
