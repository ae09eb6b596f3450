"""The roles the partner program brings (its coordinators and the patient partners themselves),
and who runs the program."""

from backend.i18n import N_

ROLES = {"partner_coordinator": N_("Partner program coordinator"), "partner": N_("Patient partner")}
COORDINATORS = ("partner_coordinator", "administrator")
