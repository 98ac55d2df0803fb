#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory (docker-compose.secured.yml mounts it into
# /docker-entrypoint-initdb.d before connect/postgres-init.sql): the README's two roles of the event store (its owner,
# which migrates, and the workers' role, granted after the migration by the db-grants service), the role "ingest" that
# owns the registry's and the warehouse's databases (postgres-init.sql), the event store's database owned by its
# owner, and a pg_hba.conf that accepts TCP only over TLS with scram passwords.
set -euo pipefail
: "${INGEST_OWNER_PASSWORD:?}" "${INGEST_WORKER_PASSWORD:?}" "${WAREHOUSE_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres --no-psqlrc \
  --set owner_password="$INGEST_OWNER_PASSWORD" --set worker_password="$INGEST_WORKER_PASSWORD" \
  --set warehouse_password="$WAREHOUSE_PASSWORD" <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE ingest_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE ingest_worker LOGIN PASSWORD :'worker_password';
CREATE ROLE ingest LOGIN PASSWORD :'warehouse_password';
CREATE DATABASE ingest OWNER ingest_owner ENCODING 'UTF8' TEMPLATE template0;
SQL

cat > "$PGDATA/pg_hba.conf" <<'HBA'
# The socket (the image's init scripts and pg_isready inside the container) trusts; TCP only over TLS with scram.
local     all  all                trust
hostssl   all  all  0.0.0.0/0     scram-sha-256
hostssl   all  all  ::/0          scram-sha-256
hostnossl all  all  0.0.0.0/0     reject
hostnossl all  all  ::/0          reject
HBA
