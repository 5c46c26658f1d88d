#!/usr/bin/env bash
# Builds the native tree (server, history-db, shared, tests) into build/native (or
# $PARLEY_NATIVE_DIR) and the WebAssembly client into build/wasm. Used by run.sh and
# test.sh; extra arguments go to the native configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${PARLEY_JOBS:-$(nproc)}
BUILD_TYPE=${PARLEY_BUILD_TYPE:-Release}

if [ "${PARLEY_SKIP_WASM:-0}" != 1 ]; then
  # Emscripten's optimiser needs Debian's node modules (acorn) on Node's path.
  export NODE_PATH=/usr/share/nodejs
  echo "build: WebAssembly client -> build/wasm"
  emcmake cmake -S "$ROOT" -B "$ROOT/build/wasm" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
  cmake --build "$ROOT/build/wasm" -j "$JOBS"
fi

NATIVE_DIR=${PARLEY_NATIVE_DIR:-build/native}
echo "build: native tree -> $NATIVE_DIR"
native_args=(-DCMAKE_BUILD_TYPE="$BUILD_TYPE")
if [ -f "$ROOT/build/wasm/web-root/index.html" ]; then
  native_args+=(-DPARLEY_WEB_ROOT="$ROOT/build/wasm/web-root")
fi
cmake -S "$ROOT" -B "$ROOT/$NATIVE_DIR" "${native_args[@]}" "$@" >/dev/null
cmake --build "$ROOT/$NATIVE_DIR" -j "$JOBS"
