#!/bin/sh
# One database per service, owned by the hami role (first start of the PostgreSQL container only).
set -eu
for db in hami_registry hami_submissions hami_evaluation hami_notifications; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" -c "CREATE DATABASE $db OWNER $POSTGRES_USER"
done
