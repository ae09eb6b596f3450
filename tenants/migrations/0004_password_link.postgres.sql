-- Installation-wide like app_user and login_session (a person may hold roles in several tenants).
GRANT SELECT, INSERT, UPDATE, DELETE ON password_link TO :app_role;
