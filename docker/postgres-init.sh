#!/bin/bash
# Run once by the postgres image, when its data volume is empty (/docker-entrypoint-initdb.d).
#
# Creates Solidaire's two login roles and its database:
# - the owner (SOLIDAIRE_OWNER, default "solidaire") owns the database and its tables and runs the
#   migrations; it is not a superuser, so the forced row-level security applies to it as well;
# - the service's role (SOLIDAIRE_APP_ROLE, default "solidaire_app") owns nothing: row-level
#   security always applies to it. The migration tenants/0002_isolation.postgres.sql grants it
#   what it needs on the tables (it would create the role without a password if it were missing).
#
# Passwords come from the environment (docker-compose.yml) and reach SQL as psql variables, quoted
# by psql (:'name' for literals, :"name" for identifiers), never pasted into the SQL text.
set -e

: "${SOLIDAIRE_OWNER_PASSWORD:?set SOLIDAIRE_OWNER_PASSWORD}"
: "${SOLIDAIRE_APP_PASSWORD:?set SOLIDAIRE_APP_PASSWORD}"

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    -v db="${SOLIDAIRE_DB:-solidaire}" \
    -v owner="${SOLIDAIRE_OWNER:-solidaire}" \
    -v owner_password="$SOLIDAIRE_OWNER_PASSWORD" \
    -v app="${SOLIDAIRE_APP_ROLE:-solidaire_app}" \
    -v app_password="$SOLIDAIRE_APP_PASSWORD" \
    <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE ROLE :"app" LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;

CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8';
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";

\connect :"db"
-- PostgreSQL 15+: schema public belongs to the database's owner and nobody else may create in it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
