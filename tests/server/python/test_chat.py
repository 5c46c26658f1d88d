#!/usr/bin/python3
"""Chat protocol checks from a second implementation: Python's websockets client.

Usage: test_chat.py PATH/TO/parley-server

Each test starts its own server on a free port with a fresh database, so the tests are
independent. Every wait has a deadline; nothing sleeps.
"""

import asyncio
import json
import re
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

import websockets

DEADLINE = 10.0
LISTENING = re.compile(r"parley-server listening on http://127\.0\.0\.1:(\d+)/")


class Server:
    def __init__(self, binary):
        self.binary = binary
        self.dir = Path(tempfile.mkdtemp(prefix="parley-pytest-"))
        (self.dir / "web").mkdir()
        (self.dir / "web" / "index.html").write_text("<!doctype html><title>t</title>\n")
        self.proc = None
        self.port = None
        self._drain = None

    async def start(self):
        self.proc = await asyncio.create_subprocess_exec(
            self.binary, "--host", "127.0.0.1", "--port", "0",
            "--db", str(self.dir / "parley.db"), "--web-root", str(self.dir / "web"),
            "--assistant-delay-ms", "2",
            stdout=asyncio.subprocess.PIPE)
        line = (await asyncio.wait_for(self.proc.stdout.readline(), DEADLINE)).decode()
        match = LISTENING.fullmatch(line.rstrip("\n"))
        assert match, f"unexpected first line from the server: {line!r}"
        self.port = int(match.group(1))
        # Keep reading so the server never blocks on a full pipe.
        self._drain = asyncio.ensure_future(self.proc.stdout.read())

    async def stop(self):
        if self.proc and self.proc.returncode is None:
            self.proc.terminate()
            try:
                code = await asyncio.wait_for(self.proc.wait(), DEADLINE)
            except asyncio.TimeoutError:
                self.proc.kill()
                await self.proc.wait()
                raise AssertionError("server did not stop after SIGTERM")
            assert code == 0, f"server exit code {code}"
        if self._drain:
            await self._drain
        shutil.rmtree(self.dir, ignore_errors=True)


class Client:
    def __init__(self, ws):
        self.ws = ws

    @classmethod
    async def connect(cls, port, name=None):
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws", open_timeout=DEADLINE,
                                      compression=None)
        client = cls(ws)
        if name is not None:
            await client.send("hello", name=name, client="parley-pytest/1")
            welcome = await client.recv_type("welcome")
            assert welcome["user"] == name, welcome
        return client

    async def send(self, type_, **fields):
        await self.ws.send(json.dumps({"v": 1, "type": type_, **fields}))

    async def recv(self):
        return json.loads(await asyncio.wait_for(self.ws.recv(), DEADLINE))

    async def recv_type(self, type_):
        while True:
            frame = await self.recv()
            if frame["type"] == type_:
                return frame
            assert frame["type"] != "error", f"error while waiting for {type_}: {frame}"

    async def join(self, room):
        await self.send("join", room=room, history_limit=50)
        joined = await self.recv_type("joined")
        assert joined["room"] == room, joined
        return joined

    async def close(self):
        await self.ws.close()


class Log:
    """What one client saw: broadcast messages, acks and assistant streams."""

    def __init__(self):
        self.messages = []   # "message" frames' payloads, in arrival order
        self.positions = []  # seqs of "message" and "stream_started", in arrival order
        self.acks = {}       # client_id -> ack
        self.streams = {}    # gen_id -> {"started", "deltas", "completed"}

    def record(self, frame):
        kind = frame["type"]
        if kind == "message":
            self.messages.append(frame["message"])
            self.positions.append(frame["message"]["seq"])
        elif kind == "ack":
            self.acks[frame["client_id"]] = frame
        elif kind == "stream_started":
            self.streams[frame["gen_id"]] = {"started": frame, "deltas": [], "completed": None}
            self.positions.append(frame["seq"])
        elif kind == "stream_delta":
            self.streams[frame["gen_id"]]["deltas"].append(frame)
        elif kind == "stream_completed":
            self.streams[frame["gen_id"]]["completed"] = frame
        elif kind == "error":
            raise AssertionError(f"unexpected error frame: {frame}")

    def completed(self):
        return sum(1 for s in self.streams.values() if s["completed"] is not None)

    async def read_until(self, client, done):
        while not done(self):
            self.record(await client.recv())


def assemble(stream):
    """Joins deltas by offset; they must be contiguous from 0."""
    text = b""
    for delta in stream["deltas"]:
        assert delta["offset"] == len(text), (delta["offset"], len(text))
        text += delta["text"].encode("utf-8")
    return text.decode("utf-8")


async def test_two_clients_see_the_same_ordered_messages(server):
    alice = await Client.connect(server.port, "alice")
    bob = await Client.connect(server.port, "bob")
    await alice.join("lobby")
    await bob.join("lobby")

    await alice.send("send", room="lobby", client_id="py-a1", text="one from alice")
    await bob.send("send", room="lobby", client_id="py-b1", text="one from bob")
    await alice.send("send", room="lobby", client_id="py-a2", text="two from alice")

    def done(log):
        users = [m for m in log.messages if m["kind"] == "user"]
        return len(users) == 3 and log.completed() == 3

    alice_log, bob_log = Log(), Log()
    await alice_log.read_until(alice, lambda l: done(l) and len(l.acks) == 2)
    await bob_log.read_until(bob, lambda l: done(l) and len(l.acks) == 1)

    assert alice_log.messages == bob_log.messages
    assert alice_log.positions == bob_log.positions
    assert len(alice_log.positions) == 6, alice_log.positions
    assert all(a < b for a, b in zip(alice_log.positions, alice_log.positions[1:])), \
        alice_log.positions
    by_client_id = {m["client_id"]: m for m in alice_log.messages if m["kind"] == "user"}
    assert set(by_client_id) == {"py-a1", "py-b1", "py-a2"}
    assert by_client_id["py-a1"]["seq"] < by_client_id["py-a2"]["seq"]
    for log, ids in ((alice_log, ("py-a1", "py-a2")), (bob_log, ("py-b1",))):
        assert set(log.acks) == set(ids), log.acks
        for client_id in ids:
            ack = log.acks[client_id]
            assert ack["seq"] == by_client_id[client_id]["seq"], (ack, by_client_id[client_id])
            assert ack["duplicate"] is False
    await alice.close()
    await bob.close()


async def test_streamed_reply_equals_stored_reply(server):
    alice = await Client.connect(server.port, "alice")
    await alice.join("lobby")
    await alice.send("send", room="lobby", client_id="py-q1", text="tell me something")
    log = Log()
    await log.read_until(alice, lambda l: l.completed() == 1)

    (stream,) = log.streams.values()
    question = log.messages[0]
    started, completed = stream["started"], stream["completed"]
    assert started["reply_to"] == question["seq"]
    assert started["seq"] > question["seq"]
    assert started["author"] == "Parley"
    assert completed["reply_seq"] == started["seq"]
    assert completed["seq"] > started["seq"], "the end is a room event of its own"
    assert completed["status"] == "complete"
    streamed = assemble(stream)
    assert streamed and streamed == completed["text"], (streamed, completed["text"])

    carol = await Client.connect(server.port, "carol")
    joined = await carol.join("lobby")
    history = joined["history"]
    assert [m["seq"] for m in history] == [question["seq"], started["seq"], completed["seq"]], history
    assert history[0] == question
    end = history[2]
    assert end["kind"] == "end" and end["ref"] == started["seq"], end
    assert end["text"] == streamed and end["status"] == "complete", end
    reply = history[1]
    assert reply["text"] == streamed
    assert reply["status"] == "complete"
    assert reply["kind"] == "assistant"
    assert reply["author"] == "Parley"
    assert reply["gen_id"] == started["gen_id"]
    assert joined["head_seq"] == completed["seq"]
    await alice.close()
    await carol.close()


async def test_resume_replays_what_was_missed_and_goes_live(server):
    alice = await Client.connect(server.port, "alice")
    first = await alice.join("lobby")
    epoch = first["epoch"]
    assert first["resume"] == "none" and first["more"] is False, first
    await alice.send("send", room="lobby", client_id="py-r1", text="before the drop")
    log = Log()
    await log.read_until(alice, lambda l: l.completed() == 1)
    position = max(log.positions + [log.streams[g]["completed"]["seq"] for g in log.streams])
    await alice.close()

    # While alice is away bob talks; the assistant answers him.
    bob = await Client.connect(server.port, "bob")
    await bob.join("lobby")
    await bob.send("send", room="lobby", client_id="py-b1", text="while alice is away")
    bob_log = Log()
    await bob_log.read_until(bob, lambda l: l.completed() == 1)

    alice = await Client.connect(server.port, "alice")
    await alice.send("join", room="lobby", history_limit=0, epoch=epoch, after_seq=position)
    resumed = await alice.recv_type("joined")
    assert resumed["resume"] == "ok" and resumed["more"] is False, resumed
    seqs = [m["seq"] for m in resumed["history"]]
    assert seqs == list(range(position + 1, resumed["head_seq"] + 1)), seqs
    kinds = [m["kind"] for m in resumed["history"]]
    assert kinds == ["user", "assistant", "end"], kinds
    assert resumed["history"][0]["client_id"] == "py-b1"

    # Live again: bob's next message arrives right after the replayed ones.
    await bob.send("send", room="lobby", client_id="py-b2", text="welcome back")
    live = await alice.recv_type("message")
    assert live["message"]["seq"] == resumed["head_seq"] + 1, live

    # A position from another epoch is refused explicitly, with recent history instead.
    other = await Client.connect(server.port, "carol")
    await other.send("join", room="lobby", history_limit=2, epoch="0000000000000000",
                     after_seq=1)
    reset = await other.recv_type("joined")
    assert reset["resume"] == "reset" and len(reset["history"]) == 2, reset
    for c in (alice, bob, other):
        await c.close()


async def test_bad_json_leaves_the_connection_open(server):
    alice = await Client.connect(server.port, "alice")
    await alice.ws.send("{not json")
    error = await alice.recv()
    assert error["type"] == "error" and error["code"] == "bad_json", error
    await alice.send("ping", nonce=77)
    pong = await alice.recv()
    assert pong == {"v": 1, "type": "pong", "nonce": 77}, pong
    await alice.close()


async def test_hello_is_required_first(server):
    anon = await Client.connect(server.port)
    await anon.send("join", room="lobby", history_limit=5)
    error = await anon.recv()
    assert error["type"] == "error" and error["code"] == "hello_required", error
    await anon.send("hello", name="late", client="parley-pytest/1")
    assert (await anon.recv_type("welcome"))["user"] == "late"
    await anon.close()


TESTS = [
    test_two_clients_see_the_same_ordered_messages,
    test_streamed_reply_equals_stored_reply,
    test_resume_replays_what_was_missed_and_goes_live,
    test_bad_json_leaves_the_connection_open,
    test_hello_is_required_first,
]


async def run_one(binary, test):
    server = Server(binary)
    try:
        await server.start()
        await test(server)
    finally:
        await server.stop()


async def main(binary):
    passed = failed = 0
    for test in TESTS:
        try:
            await asyncio.wait_for(run_one(binary, test), 4 * DEADLINE)
            passed += 1
            print(f"PASS {test.__name__}")
        except Exception:  # report every failure, then carry on with the next test
            failed += 1
            print(f"FAIL {test.__name__}")
            traceback.print_exc()
    print(f"python chat tests: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: test_chat.py PATH/TO/parley-server")
    sys.exit(asyncio.run(main(sys.argv[1])))
