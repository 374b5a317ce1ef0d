#!/usr/bin/env bash
# Prove that the newest backup restores: load it into a scratch database on the same PostgreSQL server, run Django's
# checks and `migrate --check` against it, count a few tables, then drop the scratch database. Exits non-zero on any
# failure, so that cron (or monitoring) can say so.
#
#   DATABASE_URL=postgres://... scripts/restore_check.sh /var/backups/attache [path/to/a.dump]
#
# DATABASE_URL gives the server and a user allowed to CREATE DATABASE; the database it names is never touched.
# Run it with the production environment (DJANGO_SETTINGS_MODULE, SECRET_KEY, ...) so that the checks see the
# same settings; PYTHON picks the interpreter (default: the project's .venv).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${1:-${BACKUP_DIR:-}}"
DUMP="${2:-}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3

fail() { echo "restore check: FAILED: $*" >&2; exit 1; }

[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set."
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) fail "DATABASE_URL must be a postgres:// URL." ;;
esac
for tool in pg_restore psql; do
  command -v "$tool" >/dev/null || fail "$tool is missing (Debian: apt-get install postgresql-client)."
done
if [ -z "$DUMP" ]; then
  [ -n "$DEST" ] || fail "give the backup folder as the first argument (or BACKUP_DIR)."
  [ -d "$DEST" ] || fail "no backup folder at $DEST."
  DUMP="$(find "$DEST" -maxdepth 1 -type f -name 'attache-*.dump' | sort | tail -n 1)"
  [ -n "$DUMP" ] || fail "no attache-*.dump in $DEST."
fi
[ -s "$DUMP" ] || fail "$DUMP is missing or empty."

# The same server and credentials, another database: swap the database name in the URL, keep any ?options.
base="${DATABASE_URL%%\?*}"
query=""
[ "$base" = "$DATABASE_URL" ] || query="?${DATABASE_URL#*\?}"
server="${base%/*}"
SCRATCH="attache_restore_check_$(date -u +%Y%m%d%H%M%S)_$$"
SCRATCH_URL="$server/$SCRATCH$query"
MAINTENANCE_URL="$server/postgres$query"

sql() { psql "$1" --no-psqlrc --quiet --set ON_ERROR_STOP=1 --tuples-only --no-align --command "$2"; }

drop_scratch() {
  sql "$MAINTENANCE_URL" "DROP DATABASE IF EXISTS \"$SCRATCH\" WITH (FORCE)" >/dev/null \
    || echo "restore check: could not drop the scratch database $SCRATCH: drop it by hand" >&2
}

echo "restore check: $DUMP -> scratch database $SCRATCH"
sql "$MAINTENANCE_URL" "CREATE DATABASE \"$SCRATCH\"" >/dev/null || fail "could not create the scratch database."
trap drop_scratch EXIT

# One transaction, stop at the first error: a dump that restores only partly is a failed backup.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$SCRATCH_URL" "$DUMP" \
  || fail "pg_restore could not restore $DUMP."

cd "$ROOT"
DATABASE_URL="$SCRATCH_URL" "$PYTHON" manage.py check --database default || fail "manage.py check failed."
DATABASE_URL="$SCRATCH_URL" "$PYTHON" manage.py migrate --check --noinput >/dev/null \
  || fail "the restored database is missing migrations of this code (manage.py migrate --check)."

for table in django_migrations auth_user auth_group wagtailcore_page participants_registration \
  evaluations_response; do
  count="$(sql "$SCRATCH_URL" "SELECT count(*) FROM $table")" || fail "could not read the table $table."
  echo "restore check: $table: $count rows"
  if [ "$table" = django_migrations ] && [ "$count" -eq 0 ]; then
    fail "the restored database has no migrations recorded."
  fi
done
echo "restore check: OK"
