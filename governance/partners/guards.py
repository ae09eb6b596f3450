"""The roles the partner program brings (its coordinators and the patient partners themselves),
and who runs the program."""

ROLES = ("partner_coordinator", "partner")
COORDINATORS = ("partner_coordinator", "administrator")
