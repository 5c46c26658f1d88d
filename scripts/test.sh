#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, and runs every
# test: unit, integration (C++ and Python clients), the installed-package consumer, the
# browser tests in headless Chromium and a short run of every fuzz target. Exits non-zero
# on any failure.
#   scripts/test.sh              the whole suite (build/native, build/wasm, build/fuzz)
#   scripts/test.sh --sanitize   the native unit and integration suites built with
#                                AddressSanitizer and UndefinedBehaviorSanitizer
#                                (build/sanitize); any finding, leaks included, fails
# Environment: PARLEY_TEST_JOBS (2) tests at once; PARLEY_FUZZ_SECONDS (15) per fuzz
# target, 0 skips the fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

bash scripts/setup.sh test

if [ "${1:-}" = --sanitize ]; then
  PARLEY_SKIP_WASM=1 PARLEY_NATIVE_DIR=build/sanitize PARLEY_BUILD_TYPE=RelWithDebInfo \
    bash scripts/build.sh -DPARLEY_BUILD_TESTS=ON -DPARLEY_WERROR=ON -DPARLEY_SANITIZE=ON
  cd "$ROOT/build/sanitize"
  # Servers started by the tests inherit these; a finding makes them exit non-zero.
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # The browser tests need the WebAssembly build; the consumer builds a project of its own
  # without the sanitizers. Both run in the plain suite.
  ctest --output-on-failure --timeout 900 -j "${PARLEY_TEST_JOBS:-2}" -LE "browser|consumer"
  exit 0
fi

bash scripts/build.sh -DPARLEY_BUILD_TESTS=ON -DPARLEY_WERROR=ON

(cd "$ROOT/build/native" && ctest --output-on-failure --timeout 600 -j "${PARLEY_TEST_JOBS:-2}")

# The engine benchmark at a small scale: keeps the harness and the peer servers working.
# Its figures are printed, never asserted.
PARLEY_BENCH_NO_BUILD=1 PARLEY_BENCH_OUT="$ROOT/build/bench/smoke.jsonl" bash scripts/bench.sh --smoke

if [ "${PARLEY_FUZZ_SECONDS:-15}" != 0 ]; then
  bash scripts/fuzz.sh "${PARLEY_FUZZ_SECONDS:-15}"
fi
