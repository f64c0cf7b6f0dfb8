#!/bin/sh
# One database and one role per service (runs on the first start of the PostgreSQL container only).
# Each role logs in with the password in $SECRETS_DIR/postgres_<service>_password, owns only its own database,
# cannot create databases or roles, and no other role may connect to that database.
# Environment: POSTGRES_USER (the superuser, set by the postgres image); for tests also HAMI_POSTGRES_SECRETS_DIR
# (default /run/secrets) and HAMI_DATABASE_PREFIX (default hami_); PGHOST etc. as psql reads them.
set -eu
secrets_dir="${HAMI_POSTGRES_SECRETS_DIR:-/run/secrets}"
prefix="${HAMI_DATABASE_PREFIX:-hami_}"
for service in registry submissions evaluation notifications; do
  password_file="$secrets_dir/postgres_${service}_password"
  if [ ! -s "$password_file" ]; then
    echo "init-databases: missing or empty secret file $password_file" >&2
    exit 1
  fi
  # psql variables (:"name", :'literal') quote the role name and the password safely.
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
       -v name="${prefix}${service}" -v password="$(cat "$password_file")" <<'SQL'
CREATE ROLE :"name" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
-- Its migrations create tables in the public schema, whoever owned that schema in the template.
\connect :"name"
ALTER SCHEMA public OWNER TO :"name";
SQL
done
