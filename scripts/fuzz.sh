#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (ASan + UBSan) into build/fuzz and runs
# each for a while, one after another.
#   scripts/fuzz.sh [seconds] [target...]     default: 60 s, every target
# Seeds are copied from fuzz/corpus/<target>/ into build/fuzz/corpus/<target>/, where the
# corpus grows from run to run; nothing is written into the repository. Prints one line per
# target and exits non-zero when any target crashed; the reproducer is kept under
# build/fuzz/crashes/<target>/ (re-run it with `build/fuzz/fuzz/<target> <file>`).
# Needs clang and libFuzzer (scripts/setup.sh test installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_TARGET=${1:-60}
shift || true
JOBS=${PARLEY_JOBS:-$(nproc)}
BUILD="$ROOT/build/fuzz"

# At least a second: libFuzzer reads -max_total_time=0 as "no limit".
case "$SECONDS_PER_TARGET" in
  ''|*[!0-9]*|0|0*) echo "usage: fuzz.sh [seconds >= 1] [target...]" >&2; exit 2 ;;
esac
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found; run scripts/setup.sh test" >&2
  exit 1
fi

echo "fuzz: configuring build/fuzz"
# -O1 with line tables: quick to build, readable stack traces; no NDEBUG, so assertions
# (Beast's included) stay on. The tests and the wasm client are not part of this tree.
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -DPARLEY_FUZZ=ON -DPARLEY_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  >/dev/null

if [ $# -gt 0 ]; then
  targets=("$@")
  build_targets=("$@")
else
  mapfile -t targets < "$BUILD/fuzz-targets.txt"
  build_targets=(parley_fuzz)
fi
for t in "${targets[@]}"; do
  grep -qx "$t" "$BUILD/fuzz-targets.txt" || { echo "fuzz: no target $t" >&2; exit 2; }
done

echo "fuzz: building ${targets[*]}"
cmake --build "$BUILD" -j "$JOBS" --target "${build_targets[@]}"

failed=0
summary=()
for t in "${targets[@]}"; do
  corpus="$BUILD/corpus/$t"
  crashes="$BUILD/crashes/$t"
  log="$BUILD/logs/$t.log"
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  if [ -d "$ROOT/fuzz/corpus/$t" ]; then
    cp -n "$ROOT/fuzz/corpus/$t"/* "$corpus"/ 2>/dev/null || true
  fi
  args=(-max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -artifact_prefix="$crashes/")
  [ -f "$ROOT/fuzz/dict/$t.dict" ] && args+=(-dict="$ROOT/fuzz/dict/$t.dict")

  echo "fuzz: running $t for ${SECONDS_PER_TARGET}s (log: build/fuzz/logs/$t.log)"
  status=0
  "$BUILD/fuzz/$t" "${args[@]}" "$corpus" > "$log" 2>&1 || status=$?

  # The final statistics, else the last status line; a target that fails on its seeds
  # may have printed neither.
  read -r execs cov ft < <(awk '
    /^stat::number_of_executed_units:/ { final = $2 }
    /^#[0-9]+/ { last = substr($1, 2) }
    { for (i = 1; i < NF; i++) {
        if ($i == "cov:") cov = $(i + 1)
        if ($i == "ft:") ft = $(i + 1)
      } }
    END { print (final != "" ? final : last + 0), cov + 0, ft + 0 }' "$log")
  result=OK
  if [ "$status" != 0 ]; then
    result=CRASH
    failed=1
  fi
  line="fuzz $t: $execs execs, cov $cov, ft $ft, $result"
  if [ "$result" = CRASH ]; then
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | sed -n '$p')
    line+=" (exit $status; reproducer: ${artifact:-none written}; log: $log)"
  fi
  echo "$line"
  summary+=("$line")
done

echo "fuzz: summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
