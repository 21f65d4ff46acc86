#!/usr/bin/env bash
# Rolls back to the previous release recorded in releases.log (docs/runbook.md, "Rollback"):
#   scripts/rollback.sh                       # previous image, schema left as it is
#   scripts/rollback.sh --revert-migrations 1 # also revert the newest migration first
# Migrations are expand-then-contract, so the previous image runs on the newer schema: revert one only when
# its release notes mark it reversible (its down() loses no data), and never a contract step. Reverting
# runs with the CURRENT image, whose code knows the migration's down(). Takes under a minute; run on the
# host (APP_DIR, default /srv/fittrack).
set -euo pipefail
APP_DIR="${APP_DIR:-/srv/fittrack}"
REVERT=0
if [ "${1:-}" = "--revert-migrations" ]; then REVERT="${2:?--revert-migrations needs a count}"; fi
cd "$APP_DIR"

[ -f releases.log ] || { echo 'no releases.log: nothing to roll back to' >&2; exit 1; }
current="$(tail -n 1 releases.log | awk '{print $2}')"
previous="$(tail -n 2 releases.log | head -n 1 | awk '{print $2}')"
if [ -z "$previous" ] || [ "$previous" = "$current" ]; then
  echo "no earlier release than $current in releases.log" >&2
  exit 1
fi
compose() { IMAGE="$1" ENV_FILE="$APP_DIR/.env.production" docker compose -f docker/docker-compose.prod.yml "${@:2}"; }

for _ in $(seq 1 "$REVERT"); do
  echo "==> revert the newest migration with $current"
  compose "$current" run --rm migrate node dist/apps/cli/src/main.js migrate --revert
done
echo "==> switch api and worker to $previous"
compose "$previous" pull api worker
compose "$previous" up -d --no-deps api worker
for _ in $(seq 1 24); do
  if curl -fsk "https://${FITTRACK_DOMAIN:-localhost}/health/ready" >/dev/null; then
    printf '%s %s rollback\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$previous" >>releases.log
    echo "rolled back to $previous"
    exit 0
  fi
  sleep 5
done
echo "FAILED: $previous not ready after 2 minutes" >&2
exit 1
