#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, and runs every
# test: unit, integration (C++ and Python clients), the installed-package consumer and
# the browser tests in headless Chromium. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

bash scripts/setup.sh test
bash scripts/build.sh -DPARLEY_BUILD_TESTS=ON -DPARLEY_WERROR=ON

cd "$ROOT/build/native"
ctest --output-on-failure --timeout 600 -j "${PARLEY_TEST_JOBS:-2}"
