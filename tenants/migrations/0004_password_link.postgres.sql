-- Looked up before the tenant is known to belong to the person, like app_user and login_session;
-- each link names its tenant and is matched against it.
GRANT SELECT, INSERT, UPDATE, DELETE ON password_link TO :app_role;
