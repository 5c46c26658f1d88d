#!/usr/bin/python3
"""Faults from outside the protocol: a full disk, a database locked by another process,
and a client that never reads.

- Full disk: the database lives on a small tmpfs this test mounts (needs root; skipped
  with a notice otherwise). Filling it makes sends fail with `internal` (nothing stored,
  so they are resent with the same client_id); freeing space makes the same resends
  succeed; after a restart every acknowledged message is there, none twice.
- Busy database: another process holds SQLite's write lock longer than the server's busy
  timeout: sends are refused with `internal`, then succeed once the lock is gone.
- Slow reader: a connection that stops reading is closed at its send-queue bound (1008)
  while another reader keeps receiving everything in order; the other reader's delivery
  latency with and without the stalled one is printed.

Usage: test_faults.py PATH/TO/parley-server
"""

import asyncio
import base64
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import websockets

from parley_harness import DEADLINE, Client, Server, run_main


class Outbox:
    """A client's unacknowledged sends, resent with their client_id until acked."""

    def __init__(self, client, room):
        self.client, self.room = client, room
        self.acked = {}      # client_id -> seq
        self.refused = []    # (client_id, code)

    async def send(self, client_id, text):
        await self.client.send("send", room=self.room, client_id=client_id, text=text)
        frame = await self.client.recv_until(lambda f: f["type"] in ("ack", "error"))
        if frame["type"] == "ack":
            assert frame["client_id"] == client_id, frame
            self.acked[client_id] = frame["seq"]
            return True
        assert frame["code"] == "internal", frame  # retryable: nothing was stored
        self.refused.append((client_id, frame["code"]))
        return False


async def history(client, room):
    await client.send("join", room=room, history_limit=200)
    joined = await client.recv_type("joined")
    return [m for m in joined["history"] if m["kind"] == "user"]


def mount_tmpfs(path, size):
    path.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                            capture_output=True, text=True)
    return result.returncode == 0


async def test_a_full_disk_refuses_sends_and_recovers(binary):
    mnt = Path(tempfile.mkdtemp(prefix="parley-fulldisk-"))
    if os.geteuid() != 0 or not mount_tmpfs(mnt, "8m"):
        print("SKIP test_a_full_disk_refuses_sends_and_recovers: needs root to mount a tmpfs")
        return
    server = Server(binary, "--db", str(mnt / "parley.db"), "--assistant-delay-ms", "0")
    try:
        await server.start()
        ann = await Client.connect(server.port, "ann")
        await ann.send("create_room", room="quiet", room_type="shared", assistant="off")
        await ann.recv_type("room")
        await ann.join("quiet")
        out = Outbox(ann, "quiet")
        for i in range(20):
            assert await out.send(f"before-{i}", f"written while there was room {i}")

        # Fill the disk to the last byte.
        filler = mnt / "filler"
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        refused_ids = []
        text = "x" * 4000
        for i in range(200):
            if not await out.send(f"full-{i}", f"{text} {i}"):
                refused_ids.append(f"full-{i}")
            if len(refused_ids) >= 3:
                break
        assert refused_ids, "no send was refused on a full disk"
        await ann.still_serves()

        # Space returns: the same sends, resent with their ids, are stored once each.
        filler.unlink()
        for cid in refused_ids:
            assert await out.send(cid, f"{text} {cid.split('-')[1]}"), cid
        for i in range(5):
            assert await out.send(f"after-{i}", f"after the disk had room again {i}")
        await ann.close()

        await server.stop(keep=True)
        await server.start()
        bob = await Client.connect(server.port, "bob")
        stored = await history(bob, "quiet")
        by_id = {}
        for m in stored:
            assert m["client_id"] not in by_id, f"{m['client_id']} stored twice"
            by_id[m["client_id"]] = m["seq"]
        for cid, seq in out.acked.items():
            assert by_id.get(cid) == seq, (cid, seq, by_id.get(cid))
        print(f"full disk: {len(out.acked)} acked and all kept across a restart; "
              f"{len(out.refused)} refusals with 'internal' while full, each stored once when resent")
        await bob.close()
    finally:
        await server.stop()
        subprocess.run(["umount", "-l", str(mnt)])
        shutil.rmtree(mnt, ignore_errors=True)


async def test_a_locked_database_refuses_sends_until_the_lock_goes(binary):
    server = Server(binary)
    await server.start()
    lock = None
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.send("create_room", room="quiet", room_type="shared", assistant="off")
        await ann.recv_type("room")
        await ann.join("quiet")
        out = Outbox(ann, "quiet")
        assert await out.send("b-0", "before the lock")

        # Another process takes the write lock and keeps it past the 5 s busy timeout.
        lock = sqlite3.connect(str(server.dir / "parley.db"), timeout=10, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        t0 = time.monotonic()
        assert not await out.send("b-1", "while locked")
        waited = time.monotonic() - t0
        assert 4.0 < waited < DEADLINE, waited
        lock.execute("ROLLBACK")
        lock.close()
        lock = None
        assert await out.send("b-1", "while locked")
        assert await out.send("b-2", "after the lock")
        stored = await history(ann, "quiet")
        assert [m["client_id"] for m in stored] == ["b-0", "b-1", "b-2"], stored
        print(f"busy database: a send waited {waited:.1f} s for the lock, was refused with "
              "'internal', and was stored once when resent")
        await ann.close()
    finally:
        if lock is not None:
            lock.close()
        await server.stop()


class StalledClient:
    """A WebSocket client that, after joining, never reads again (its receive buffer is
    kept small so the server's queue is what fills)."""

    def __init__(self, port):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(DEADLINE)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def send(self, frame):
        data = json.dumps({"v": 1, **frame}).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        n = len(data)
        if n < 126:
            header += bytes([0x80 | n])
        else:
            header += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def close(self):
        self.sock.close()


async def eager_client(port, name):
    """A client whose library reads everything the server sends at once (no bound on its
    own queue), so only the stalled client below is ever behind."""
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws", open_timeout=DEADLINE,
                                  compression=None, max_size=2**22, max_queue=None)
    client = Client(ws)
    await client.send("hello", name=name, client="parley-pytest/1")
    await client.recv_type("welcome")
    return client


async def test_a_client_that_never_reads_is_closed_and_others_keep_their_pace(binary):
    server = Server(binary, "--send-queue-bytes", "1048576", "--send-queue-frames", "4096")
    await server.start()
    try:
        pub = await eager_client(server.port, "pub")
        await pub.send("create_room", room="busy", room_type="shared", assistant="off")
        await pub.recv_type("room")
        await pub.join("busy")
        reader = await eager_client(server.port, "reader")
        await reader.join("busy")

        sent_at = {}
        latencies = {"alone": [], "with a stalled reader": []}
        phase = ["alone"]
        seen = []
        stalled_gone = asyncio.Event()
        progress = asyncio.Event()  # set whenever the reader or the publisher got a frame

        async def read_all():
            while True:
                f = await reader.recv()
                if f["type"] == "message" and f["message"]["author"] == "pub":
                    cid = f["message"]["client_id"]
                    latencies[phase[0]].append(time.monotonic() - sent_at[cid])
                    seen.append(f["message"]["seq"])
                    progress.set()
                elif f["type"] == "presence" and f["user"] == "stalled" and not f["online"]:
                    stalled_gone.set()

        acks = []

        async def pub_reads():
            while True:
                f = await pub.recv()
                if f["type"] == "ack":
                    acks.append(f["seq"])
                    progress.set()

        tasks = [asyncio.ensure_future(read_all()), asyncio.ensure_future(pub_reads())]
        text = "y" * 6000

        async def publish(n, prefix):
            # At most 20 sends in flight: the publisher (and every reader that keeps up)
            # never has more than that on its way, whatever the stalled one does.
            for i in range(n):
                await wait_for(lambda: len(sent_at) - len(acks) < 20, "acks stopped coming")
                cid = f"{prefix}-{i}"
                sent_at[cid] = time.monotonic()
                await pub.send("send", room="busy", client_id=cid, text=text)

        async def wait_for(predicate, what):
            deadline = time.monotonic() + 3 * DEADLINE
            while not predicate():
                remaining = deadline - time.monotonic()
                assert remaining > 0, what
                try:
                    await asyncio.wait_for(progress.wait(), remaining)
                except asyncio.TimeoutError:
                    raise AssertionError(what)
                progress.clear()

        await publish(300, "a")
        await wait_for(lambda: len(seen) == 300, "the reader got the first 300")

        stalled = StalledClient(server.port)
        stalled.send({"type": "hello", "name": "stalled", "client": "raw"})
        stalled.send({"type": "join", "room": "busy", "history_limit": 0})
        phase[0] = "with a stalled reader"
        sent = 300
        while not stalled_gone.is_set() and sent < 3000:
            await publish(100, f"b{sent}")
            sent += 100
        await asyncio.wait_for(stalled_gone.wait(), 3 * DEADLINE)
        await publish(300, "c")
        sent += 300
        await wait_for(lambda: len(seen) == sent and len(acks) == sent, "everything delivered")
        assert seen == sorted(seen) and len(set(seen)) == len(seen), "out of order or twice"
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        stalled.close()

        def summary(xs):
            xs = sorted(xs)
            return f"p50 {1000 * statistics.median(xs):.1f} ms, p99 {1000 * xs[int(0.99 * (len(xs) - 1))]:.1f} ms"
        print(f"slow reader: dropped at its 1 MiB send-queue bound after {sent - 600} messages of 6 KB "
              "were published past it; "
              f"the other reader got all {sent} in order; its delivery latency alone: "
              f"{summary(latencies['alone'])}; with the stalled one: "
              f"{summary(latencies['with a stalled reader'])}")
        await pub.close()
        await reader.close()
    finally:
        await server.stop()


if __name__ == "__main__":
    run_main([test_a_full_disk_refuses_sends_and_recovers,
              test_a_locked_database_refuses_sends_until_the_lock_goes,
              test_a_client_that_never_reads_is_closed_and_others_keep_their_pace], "faults")
