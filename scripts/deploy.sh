#!/usr/bin/env bash
# Deploys IMAGE to a host running docker/docker-compose.prod.yml (docs/deployment.md):
#   scripts/deploy.sh ghcr.io/org/fittrack:0123456789ab
# Locally on the host, or over SSH when DEPLOY_HOST is set (DEPLOY_SSH_KEY: the private key's text).
# Steps: pull, run the migrations once, restart api and worker on the new image, wait until /health/ready
# answers 200 through the proxy, and record the release (the image and the time) in releases.log, which
# scripts/rollback.sh reads. A failed readiness wait exits non-zero and leaves the previous release logged
# as the last good one.
set -euo pipefail
IMAGE="${1:?usage: deploy.sh IMAGE}"
APP_DIR="${APP_DIR:-/srv/fittrack}"

if [ -n "${DEPLOY_HOST:-}" ]; then
  key="$(mktemp)"
  trap 'rm -f "$key"' EXIT
  printf '%s\n' "${DEPLOY_SSH_KEY:?DEPLOY_SSH_KEY is required with DEPLOY_HOST}" >"$key"
  chmod 600 "$key"
  ssh -i "$key" -o StrictHostKeyChecking=accept-new "$DEPLOY_HOST" \
    "APP_DIR='$APP_DIR' bash -s -- '$IMAGE'" <"$0"
  exit $?
fi

cd "$APP_DIR"
compose() { IMAGE="$IMAGE" ENV_FILE="$APP_DIR/.env.production" docker compose -f docker/docker-compose.prod.yml "$@"; }
echo "==> pull $IMAGE"
compose pull migrate api worker
echo '==> migrations'
compose run --rm migrate
echo '==> restart api and worker'
compose up -d --no-deps api worker
echo '==> wait for readiness'
for _ in $(seq 1 60); do
  if curl -fsk "https://${FITTRACK_DOMAIN:-localhost}/health/ready" >/dev/null; then
    printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$IMAGE" >>releases.log
    echo "deployed $IMAGE"
    exit 0
  fi
  sleep 5
done
echo "FAILED: $IMAGE not ready after 5 minutes; roll back with scripts/rollback.sh" >&2
exit 1
