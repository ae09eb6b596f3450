-- PostgreSQL: the administrator sets the address and the privacy officer too (0009), as the other
-- settings of 0006: only those columns, only of the organisation of the request.
GRANT UPDATE (address, privacy_officer_name, privacy_officer_email) ON tenant TO :app_role;
