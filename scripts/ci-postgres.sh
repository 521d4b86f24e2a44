#!/usr/bin/env bash
# Starts the distribution's PostgreSQL cluster and creates the role and database the HQ tests use.
# Idempotent: safe to run on a machine where it already ran.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^${version} main$"; then
  pg_createcluster "$version" main
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p 5432
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'loyalty') THEN
    CREATE ROLE loyalty LOGIN PASSWORD 'loyalty' CREATEDB;
  END IF;
END $$;
SQL
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'loyalty_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O loyalty loyalty_test"
echo "PostgreSQL $version ready on 127.0.0.1:5432 (database loyalty_test, role loyalty)"
