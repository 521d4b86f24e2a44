#!/usr/bin/env bash
# Installs what is missing for `./loyalty start` or `./loyalty test` on Debian with Node 20:
# system packages through apt-get, npm packages through npm ci, and (for tests) a running PostgreSQL.
# Each step is skipped when already done, so repeated runs are quick.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-test}

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v socat >/dev/null || need+=(socat)
if [ "$purpose" = test ] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then need+=(postgresql postgresql-contrib); fi
if [ "$purpose" = test ] && ! command -v pg_lsclusters >/dev/null; then need+=(postgresql-common); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" ca-certificates >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages"
  # The Electron binary cannot be downloaded on our machines; electron-vite only needs the package metadata.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

if [ "$purpose" = test ]; then
  bash scripts/ci-postgres.sh
fi
