"""The roles the partner program brings: its coordinators and the patient partners themselves."""

ROLES = ("partner_coordinator", "partner")
