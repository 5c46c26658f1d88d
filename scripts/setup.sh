#!/usr/bin/env bash
# Installs what Parley needs, skipping quickly what is present.
#   setup.sh run    what building and running the server and the web client need
#   setup.sh test   that, plus what the tests need (GoogleTest, Python's websockets, clamd,
#                   clang's sanitizer and fuzzer runtimes, Chromium and playwright-core)
# Sources Dear ImGui from Debian's `imgui` source package into .deps/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODE=${1:-test}
case "$MODE" in run|test) ;; *) echo "usage: setup.sh [run|test]" >&2; exit 2 ;; esac

# Running needs the compiler, the libraries and Emscripten (the client is built from source).
RUN_PKGS=(build-essential cmake pkg-config libboost1.81-dev libsqlitecpp-dev libsqlite3-dev
  nlohmann-json3-dev libssl-dev libjwt-dev libpoppler-cpp-dev fonts-dejavu-core)
TEST_PKGS=(libgtest-dev libgmock-dev python3-websockets clamav-daemon clang libclang-rt-14-dev
  libfuzzer-14-dev)
WASM_PKGS=(emscripten nodejs)
BROWSER_PKGS=(chromium nodejs npm)

want=("${RUN_PKGS[@]}")
[ "${PARLEY_SKIP_WASM:-0}" = 1 ] || want+=("${WASM_PKGS[@]}")
if [ "$MODE" = test ]; then
  want+=("${TEST_PKGS[@]}")
  [ "${PARLEY_SKIP_BROWSER:-0}" = 1 ] || want+=("${BROWSER_PKGS[@]}")
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node and npm may come from elsewhere on the machine; only install them when absent.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Dear ImGui sources from Debian's source package (never committed).
IMGUI_DIR="$ROOT/.deps/imgui"
if [ "${PARLEY_SKIP_WASM:-0}" != 1 ] && [ ! -f "$IMGUI_DIR/imgui.cpp" ]; then
  echo "setup: fetching Dear ImGui sources from Debian's imgui source package"
  T=$(mktemp -d); mkdir -p "$T/parts" "$T/lists/partial" "$ROOT/.deps"
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || { echo "setup: cannot find a Debian mirror URI" >&2; exit 1; }
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" > "$T/parts/src.sources"
  APT=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$T/parts" -o "Dir::State::Lists=$T/lists"
       -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
  apt-get "${APT[@]}" update -qq
  (cd "$T" && apt-get "${APT[@]}" source --download-only imgui >/dev/null)
  dsc=$(ls "$T"/imgui_*.dsc | head -1)
  rm -rf "$T/src"; mkdir -p "$T/src"
  tarball=$(ls "$T"/imgui_*.orig.tar.* | head -1)
  tar -xf "$tarball" -C "$T/src"
  top=$(ls -d "$T"/src/*/ | head -1)
  rm -rf "$IMGUI_DIR"; mv "$top" "$IMGUI_DIR"
  rm -rf "$T"
  test -f "$IMGUI_DIR/imgui.cpp" && test -f "$IMGUI_DIR/backends/imgui_impl_glfw.cpp"
  echo "setup: Dear ImGui $(grep -m1 'define IMGUI_VERSION ' "$IMGUI_DIR/imgui.h" | awk '{print $3}') in .deps/imgui"
fi

# Browser-test tooling from npm (never a downloaded browser).
if [ "$MODE" = test ] && [ "${PARLEY_SKIP_BROWSER:-0}" != 1 ] &&
   [ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
  echo "setup: installing playwright-core"
  (cd "$ROOT/tests/browser" && npm ci --no-audit --no-fund --silent)
fi
