#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the tests and prints the line to export:
#   eval "$(tools/test-postgres.sh)"      # sets DEZHIHUB_TEST_POSTGRES
# Debian's postgresql package, no Docker: initdb into a fresh temp folder (as the postgres user when run as root,
# since initdb refuses root), listening on 127.0.0.1 only, durability off (the data is thrown away).
# Stop it with: tools/test-postgres.sh stop
set -euo pipefail
port=${DEZHIHUB_TEST_POSTGRES_PORT:-55432}
state=/tmp/dezhihub-test-postgres
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  [ -d "$state/data" ] && as_owner "$bin/pg_ctl" -D "$state/data" -m immediate stop >/dev/null || true
  rm -rf "$state"
  exit 0
fi

if [ -d "$state/data" ] && as_owner "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
  echo "export DEZHIHUB_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres'"
  exit 0
fi

rm -rf "$state"
mkdir -p "$state"
[ "$(id -u)" = 0 ] && chown postgres "$state"
as_owner "$bin/initdb" -D "$state/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$state/initdb.log"
as_owner "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w start -o "-p $port -k $state \
  -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off -c shared_buffers=128MB" >/dev/null
echo "export DEZHIHUB_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres'"
