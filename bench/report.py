#!/usr/bin/env python3
"""Prints the bench's JSON lines as one Markdown table per workload."""
import json
import platform
import subprocess
import sys
from datetime import date

COLUMNS = {
    "w1": [("msgs_per_cpu_s", "msgs/CPU-s"), ("msgs_per_s", "msgs/s"), ("p50_ms", "p50 ms"),
           ("p99_ms", "p99 ms"), ("server_cpu_pct", "CPU %"), ("write_syscalls_per_msg", "writes/msg")],
    "w1p": [("msgs_per_s", "msgs/s"), ("msgs_per_cpu_s", "msgs/CPU-s"), ("p99_ms", "p99 ms"),
            ("acks_in_order", "acks in order")],
    "w2": [("deliveries_per_s", "deliveries/s"), ("sent_per_s", "sent/s"), ("p50_ms", "p50 ms"),
           ("p99_ms", "p99 ms"), ("undelivered", "undelivered"), ("closed", "closed"),
           ("server_cpu_pct", "CPU %"), ("join_frames", "frames while joining"),
           ("write_syscalls_per_delivery", "writes/delivery")],
    "w3": [("kb_per_connection", "KB/connection"), ("connections_2", "connections"),
           ("rss_2_kb", "RSS KB")],
    "w4": [("deltas_per_s", "deltas/s"), ("added_delay_p50_ms", "added p50 ms"),
           ("added_delay_p99_ms", "added p99 ms"), ("server_cpu_pct", "CPU %"),
           ("us_cpu_per_delta", "µs CPU/delta"), ("write_syscalls_per_delta", "writes/delta")],
    "w5": [("msgs_per_s", "msgs/s"), ("msgs_per_cpu_s", "msgs/CPU-s"), ("messages", "messages")],
    "w6": [("all_resumed_s", "all resumed s"), ("resumed", "resumed"), ("gaps", "gaps"),
           ("duplicates", "duplicates"), ("kb_per_connection_storm", "KB/conn in storm"),
           ("restart_s", "restart s")],
}


def fmt(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if abs(v) >= 100:
            return f"{v:,.0f}"
        return f"{v:.3g}"
    return str(v)


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    print(f"{date.today().isoformat()}, {platform.machine()}, {cpu}, "
          f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} CPUs")
    seen = []
    for r in rows:
        if r["name"] not in seen:
            seen.append(r["name"])
    for name in seen:
        group = [r for r in rows if r["name"] == name]
        cols = COLUMNS.get(group[0]["workload"], [])
        params = {k: v for k, v in group[0].items()
                  if k in ("connections", "room_size", "rate", "window", "replies_at_once",
                           "viewers", "clients", "rooms", "behind")}
        print(f"\n{name} " + " ".join(f"{k}={fmt(v)}" for k, v in params.items()))
        print("| server | " + " | ".join(c[1] for c in cols) + " |")
        print("|---|" + "---|" * len(cols))
        for r in group:
            cells = [fmt(r[c[0]]) if c[0] in r else "—" for c in cols]
            if "error" in r:
                cells.append("error: " + r["error"])
            print(f"| {r['target']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/bench/results.jsonl")
