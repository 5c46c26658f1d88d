#!/usr/bin/env bash
# The engine benchmark: Parley beside two plain WebSocket servers that persist nothing
# (Node `ws` and Bun, bench/peers), the same workloads from the same native load generator,
# each server pinned to CPU 0 and the load generator to CPU 1, one after another in one run.
# Prints a table per workload and writes every figure as JSON lines.
#   scripts/bench.sh [--smoke] [workload ...]
# Workloads: w1 w1p w2 w2-100 w3 w4 w5 w6 (default: all). --smoke runs each for about
# ten seconds at a small scale, to check the harness, not to measure.
# Environment: PARLEY_BENCH_OUT (build/bench/results.jsonl), PARLEY_BENCH_TARGETS
# ("parley ws bun").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SMOKE=0
if [ "${1:-}" = --smoke ]; then SMOKE=1; shift; fi
WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -eq 0 ] && WORKLOADS=(w1 w1p w2 w2-100 w3 w4 w5 w6)
TARGETS=${PARLEY_BENCH_TARGETS:-parley ws bun}
OUT=${PARLEY_BENCH_OUT:-$ROOT/build/bench/results.jsonl}
mkdir -p "$(dirname "$OUT")"
: > "$OUT"

if [ "${PARLEY_BENCH_NO_BUILD:-0}" != 1 ]; then
  bash scripts/setup.sh run
  PARLEY_SKIP_WASM=1 bash scripts/build.sh >/dev/null
fi
LOADGEN=$ROOT/build/native/bench/parley-loadgen
SERVER=$ROOT/build/native/server/parley-server
W5=$ROOT/build/native/bench/parley-w5-history

if ! command -v npm >/dev/null; then
  sudo_=(); [ "$(id -u)" = 0 ] || sudo_=(sudo)
  "${sudo_[@]}" apt-get install -y --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -x bench/peers/node_modules/.bin/bun ] || [ ! -d bench/peers/node_modules/ws ]; then
  (cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)
fi

SERVER_CPU=0; CLIENT_CPU=1
if [ "$(nproc)" -lt 2 ]; then SERVER_CPU=-1; CLIENT_CPU=-1; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

server_command() {  # target extra-parley-flags...
  local target=$1; shift
  case $target in
    parley)
      rm -f "$WORK"/bench.db*
      # Limits a public server keeps are lifted: the bench measures the engine.
      echo "$SERVER --port {port} --db $WORK/bench.db --threads 1 --web-root $WORK \
        --rate-frames 0 --rate-bytes 0 --max-rooms-per-user 100000 $*" ;;
    ws) echo "node $ROOT/bench/peers/ws-server.mjs {port}" ;;
    bun) echo "$ROOT/bench/peers/node_modules/.bin/bun $ROOT/bench/peers/bun-server.js {port}" ;;
  esac
}

# scale <full> <smoke>
scale() { if [ "$SMOKE" = 1 ]; then echo "$2"; else echo "$1"; fi; }
SECONDS_=${PARLEY_BENCH_SECONDS:-$(scale 10 3)}

run() {  # workload-name targets loadgen-args... [-- parley-flags...]
  local name=$1 targets=$2; shift 2
  local args=() flags=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift && flags=("$@")
  for target in $targets; do
    case " $TARGETS " in *" $target "*) ;; *) continue ;; esac
    echo "bench: $name on $target" >&2
    local line
    line=$("$LOADGEN" --target "$target" --port "$(free_port)" --server-cpu $SERVER_CPU \
      --client-cpu $CLIENT_CPU --server "$(server_command "$target" "${flags[@]}")" \
      "${args[@]}" 2>"$WORK/stderr") || {
        echo "bench: $name on $target failed:" >&2; tail -5 "$WORK/stderr" >&2
        echo "$line" >&2; exit 1; }
    echo "${line%\}},\"name\":\"$name\"}" >> "$OUT"
  done
}

SYSCALLS=()
if perf stat -e syscalls:sys_enter_sendmsg true >/dev/null 2>&1; then SYSCALLS=(--count-syscalls); fi

for w in "${WORKLOADS[@]}"; do
  case $w in
    w1) run w1 "parley ws bun" --workload w1 --connections "$(scale 100 20)" --seconds "$SECONDS_" "${SYSCALLS[@]}" ;;
    w1p) run w1p "parley ws bun" --workload w1p --window 256 --seconds "$SECONDS_" ;;
    w2) run w2 "parley ws bun" --workload w2 --room-size "$(scale 1000 100)" --rate 100 --seconds "$SECONDS_" "${SYSCALLS[@]}" ;;
    w2-100) run w2-100 "parley ws bun" --workload w2 --room-size 100 --rate "$(scale 5000 500)" --seconds "$SECONDS_" "${SYSCALLS[@]}" ;;
    w3) run w3 "parley ws bun" --workload w3 --connections "$(scale 5000 200)" --connections-max "$(scale 18000 1000)" ;;
    w4) run w4 parley --workload w4 --rooms "$(scale 1000 10)" --viewers 10 --seconds "$SECONDS_" "${SYSCALLS[@]}" -- --assistant-delay-ms 20 ;;
    w5)
      case " $TARGETS " in *" parley "*)
        echo "bench: w5 on parley" >&2
        line=$("$W5" --messages "$(scale 200000 5000)" --cpu $SERVER_CPU --db "$WORK/w5.db")
        echo "${line%\}},\"name\":\"w5\"}" >> "$OUT" ;;
      esac ;;
    w6) run w6 parley --workload w6 --connections "$(scale 10000 200)" --rooms "$(scale 100 10)" --behind "$(scale 100 20)" ;;
    *) echo "bench: unknown workload $w" >&2; exit 2 ;;
  esac
done

python3 bench/report.py "$OUT"
echo "bench: figures in $OUT" >&2
