#!/usr/bin/env bash
# Back up Attaché: the PostgreSQL database (pg_dump, custom format) and, when media are local files, the public and
# private media folders. Deletes this script's backups older than BACKUP_KEEP_DAYS.
#
#   DATABASE_URL=postgres://... scripts/backup.sh /var/backups/attache
#
# Environment: DATABASE_URL (required, postgres://), BACKUP_DIR (if no argument), BACKUP_KEEP_DAYS (default 14),
# MEDIA_ROOT, PRIVATE_MEDIA_ROOT, ATTACHE_VAR_DIR (the same defaults as the settings); with MEDIA_S3_BUCKET set the
# media are in the bucket and are not copied (use the bucket's versioning or replication).
# The files hold personal data: they are created readable by their owner only.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${1:-${BACKUP_DIR:-}}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"

fail() { echo "backup: $*" >&2; exit 1; }

[ -n "$DEST" ] || fail "give the backup folder as the first argument (or BACKUP_DIR)."
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set."
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) fail "DATABASE_URL must be a postgres:// URL (SQLite: copy the file with sqlite3 .backup instead)." ;;
esac
[[ "$KEEP_DAYS" =~ ^[0-9]+$ ]] || fail "BACKUP_KEEP_DAYS must be a whole number of days."
command -v pg_dump >/dev/null || fail "pg_dump is missing (Debian: apt-get install postgresql-client)."

umask 077
mkdir -p "$DEST"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
DUMP="$DEST/attache-$STAMP.dump"

# Written under a temporary name and renamed once complete: restore_check.sh never picks up half a dump.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$DUMP.partial" "$DATABASE_URL"
mv "$DUMP.partial" "$DUMP"
echo "backup: database -> $DUMP ($(du -h "$DUMP" | cut -f1))"

if [ -z "${MEDIA_S3_BUCKET:-}" ]; then
  VAR_DIR="${ATTACHE_VAR_DIR:-$ROOT/var}"
  for kind in media private; do
    if [ "$kind" = media ]; then folder="${MEDIA_ROOT:-$VAR_DIR/media}"; else folder="${PRIVATE_MEDIA_ROOT:-$VAR_DIR/private}"; fi
    if [ -d "$folder" ]; then
      archive="$DEST/attache-$STAMP-$kind.tar.gz"
      tar -czf "$archive.partial" -C "$folder" .
      mv "$archive.partial" "$archive"
      echo "backup: $kind ($folder) -> $archive ($(du -h "$archive" | cut -f1))"
    else
      echo "backup: no $kind folder at $folder, nothing to copy"
    fi
  done
else
  echo "backup: media are in the bucket $MEDIA_S3_BUCKET, not copied"
fi

# Only our own files, and never the one just written, whatever the clock says.
find "$DEST" -maxdepth 1 -type f -name 'attache-*' -mtime +"$KEEP_DAYS" ! -name "attache-$STAMP*" -print -delete \
  | sed 's/^/backup: deleted (older than '"$KEEP_DAYS"' days) /'
