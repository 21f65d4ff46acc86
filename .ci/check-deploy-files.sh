#!/usr/bin/env bash
# Checks the deployment files without a container engine (called by .ci/run, usable alone):
#  - docker/docker-compose.yml and docker/docker-compose.prod.yml parse and resolve (`docker compose config`,
#    or the legacy `docker-compose` client, which does not know the top-level `name:`, on a copy without it);
#  - docker/Dockerfile with hadolint when installed (skipped with a note otherwise);
#  - the Prometheus alert rules: `promtool check rules` and their unit tests (`promtool test rules`);
#  - the Prometheus config (`promtool check config`, on a copy beside a placeholder token file).
# Prints one `ok:` or `FAILED:` line per check; exits non-zero when one failed.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=0
ok() { echo "ok: $1"; }
bad() { echo "FAILED: $1" >&2; failed=1; }

# Placeholder values for the variables the compose files require (`${VAR:?}`): only parsing is checked.
export ADMIN_PASSWORD=x JWT_PRIVATE_KEY=x JWT_PUBLIC_KEY=x TERRA_DEV_ID=x TERRA_API_KEY=x \
  TERRA_WEBHOOK_SECRET=x ENCRYPTION_KEY=x IMAGE=fittrack:ci METRICS_TOKEN=x
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/.env.production"
export ENV_FILE="$tmp/.env.production"
for file in docker/docker-compose.yml docker/docker-compose.prod.yml; do
  if docker compose version >/dev/null 2>&1; then
    if out="$(docker compose -f "$file" config -q 2>&1)"; then ok "$file"; else echo "$out" >&2; bad "$file"; fi
  elif command -v docker-compose >/dev/null; then
    sed '/^name:/d' "$file" >"docker/.ci-$(basename "$file")"
    if out="$(docker-compose -f "docker/.ci-$(basename "$file")" config -q 2>&1)"; then ok "$file"; else echo "$out" >&2; bad "$file"; fi
    rm -f "docker/.ci-$(basename "$file")"
  else
    bad "$file: neither docker compose nor docker-compose is installed"
  fi
done

if command -v hadolint >/dev/null; then
  if hadolint docker/Dockerfile; then ok 'hadolint docker/Dockerfile'; else bad 'hadolint docker/Dockerfile'; fi
else
  echo 'note: hadolint not installed (no Debian/npm package ships it), Dockerfile lint skipped'
fi

if command -v promtool >/dev/null; then
  if (cd monitoring/prometheus && promtool check rules alerts.yml && promtool test rules alerts.test.yml); then
    ok 'Prometheus alert rules (promtool check + test)'
  else
    bad 'Prometheus alert rules'
  fi
  # The config reads the scrape token from metrics-token beside it (not in git); promtool checks it exists.
  cp monitoring/prometheus/prometheus.yml monitoring/prometheus/alerts.yml "$tmp/"
  echo placeholder >"$tmp/metrics-token"
  if promtool check config "$tmp/prometheus.yml"; then
    ok 'monitoring/prometheus/prometheus.yml (promtool check config)'
  else
    bad 'monitoring/prometheus/prometheus.yml'
  fi
else
  bad 'promtool not installed (Debian: apt-get install prometheus)'
fi
exit "$failed"
