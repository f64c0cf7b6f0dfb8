#!/bin/sh
# One database and two roles per service (runs on the first start of the PostgreSQL container only).
# - <prefix><service>, the owner (password $SECRETS_DIR/postgres_<service>_password): owns the database and its
#   schema; the one-shot `migrate` step runs the migrations as it and grants the runtime role its privileges.
# - <prefix><service>_app, the runtime role (password $SECRETS_DIR/postgres_<service>_app_password): what the
#   service connects as; it owns nothing, so it cannot drop the ledger's append-only trigger or alter a table.
# Neither may create databases or roles, and no other role may connect to that database.
# Environment: POSTGRES_USER (the superuser, set by the postgres image); for tests also HAMI_POSTGRES_SECRETS_DIR
# (default /run/secrets) and HAMI_DATABASE_PREFIX (default hami_); PGHOST etc. as psql reads them.
set -eu
secrets_dir="${HAMI_POSTGRES_SECRETS_DIR:-/run/secrets}"
prefix="${HAMI_DATABASE_PREFIX:-hami_}"
for service in registry submissions evaluation notifications; do
  for password_file in "$secrets_dir/postgres_${service}_password" "$secrets_dir/postgres_${service}_app_password"; do
    if [ ! -s "$password_file" ]; then
      echo "init-databases: missing or empty secret file $password_file" >&2
      exit 1
    fi
  done
  # psql variables (:"name", :'literal') quote the role names and the passwords safely.
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
       -v name="${prefix}${service}" -v password="$(cat "$secrets_dir/postgres_${service}_password")" \
       -v app="${prefix}${service}_app" -v app_password="$(cat "$secrets_dir/postgres_${service}_app_password")" \
       <<'SQL'
CREATE ROLE :"name" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"name" TO :"app";
-- Its migrations create tables in the public schema, whoever owned that schema in the template; nobody else
-- creates anything there.
\connect :"name"
ALTER SCHEMA public OWNER TO :"name";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
SQL
done
