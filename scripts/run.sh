#!/usr/bin/env bash
# Installs what is missing, builds, and starts Parley at http://127.0.0.1:8080/ with the
# web client, the built-in assistant and its history in data/parley.db.
# Environment: PARLEY_HOST (127.0.0.1), PARLEY_PORT (8080), PARLEY_DB (data/parley.db);
# extra arguments go to parley-server (see build/native/server/parley-server --help).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

bash scripts/setup.sh run
PARLEY_SKIP_WASM=0 bash scripts/build.sh -DPARLEY_BUILD_TESTS=OFF

mkdir -p "$ROOT/data"
echo "run: open http://${PARLEY_HOST:-127.0.0.1}:${PARLEY_PORT:-8080}/ (Ctrl-C stops the server)"
exec "$ROOT/build/native/server/parley-server" \
  --host "${PARLEY_HOST:-127.0.0.1}" --port "${PARLEY_PORT:-8080}" \
  --db "${PARLEY_DB:-$ROOT/data/parley.db}" --web-root "$ROOT/build/wasm/web-root" "$@"
