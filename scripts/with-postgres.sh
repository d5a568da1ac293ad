#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on a free loopback port, then remove it.
#   scripts/with-postgres.sh <command …>   (DATABASE_URL is exported for the command)
#   PG_INCLUDE=deploy/postgresql/zhouqiao.conf scripts/with-postgres.sh …   adds a settings file (the
#   production settings, for benchmarks); its values come before the test options below.
# initdb and pg_ctl refuse to run as root, so as root the cluster belongs to the postgres user.
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BIN/initdb" ] || PG_BIN=$(dirname "$(command -v initdb)")
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries (initdb, pg_ctl) not found" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DIR=$(mktemp -d /tmp/zhouqiao-pg.XXXXXX)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$DIR"

cleanup() {
  as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

as_owner "$PG_BIN/initdb" -D "$DIR/data" -U zhouqiao --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
if [ -n "${PG_INCLUDE:-}" ]; then
  cp "$PG_INCLUDE" "$DIR/data/included.conf"
  echo "include 'included.conf'" >> "$DIR/data/postgresql.conf"
fi
as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
export DATABASE_URL="postgres://zhouqiao@127.0.0.1:$PORT/postgres"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
"$@"
