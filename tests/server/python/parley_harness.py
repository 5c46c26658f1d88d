"""What the Python protocol tests share: a parley-server of the test's own (a free port,
a fresh database, stopped with SIGTERM and checked to exit cleanly; it can be stopped
and started again on the same database) and a WebSocket client that keeps every frame
it received. Every wait has a deadline.
"""

import asyncio
import json
import re
import shutil
import socket
import sys
import tempfile
import traceback
from pathlib import Path

import websockets

DEADLINE = 20.0
LISTENING = re.compile(r"parley-server listening on http://127\.0\.0\.1:(\d+)/")


class Server:
    def __init__(self, binary, *extra):
        self.binary = binary
        self.extra = list(extra)
        self.dir = Path(tempfile.mkdtemp(prefix="parley-uploads-"))
        (self.dir / "web").mkdir()
        (self.dir / "web" / "index.html").write_text("<!doctype html><title>t</title>\n")
        self.proc = None
        self.port = None
        self._drain = None

    async def start(self):
        self.proc = await asyncio.create_subprocess_exec(
            self.binary, "--host", "127.0.0.1", "--port", "0",
            "--db", str(self.dir / "parley.db"), "--web-root", str(self.dir / "web"),
            "--assistant-delay-ms", "2", "--rate-frames", "0", "--rate-bytes", "0",
            *self.extra, stdout=asyncio.subprocess.PIPE)
        line = (await asyncio.wait_for(self.proc.stdout.readline(), DEADLINE)).decode()
        match = LISTENING.fullmatch(line.rstrip("\n"))
        assert match, f"unexpected first line from the server: {line!r}"
        self.port = int(match.group(1))
        self._drain = asyncio.ensure_future(self.proc.stdout.read())

    async def stop(self, keep=False):
        """Stops the server; with keep=True its folder (database, files) stays for a restart."""
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
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


class Client:
    def __init__(self, ws):
        self.ws = ws
        self.seen = []  # every frame received, in order

    @classmethod
    async def connect(cls, port, name):
        ws = await websockets.connect(f"ws://127.0.0.1:{port}/ws", open_timeout=DEADLINE,
                                      compression=None, max_size=2**22)
        client = cls(ws)
        await client.send("hello", name=name, client="parley-pytest/1")
        await client.recv_type("welcome")
        return client

    async def send(self, type_, **fields):
        await self.ws.send(json.dumps({"v": 1, "type": type_, **fields}))

    async def recv(self):
        frame = json.loads(await asyncio.wait_for(self.ws.recv(), DEADLINE))
        self.seen.append(frame)
        return frame

    async def recv_until(self, match):
        while True:
            frame = await self.recv()
            if match(frame):
                return frame

    async def recv_type(self, type_):
        def match(frame):
            assert frame["type"] != "error", f"error while waiting for {type_}: {frame}"
            return frame["type"] == type_
        return await self.recv_until(match)

    async def expect_error(self, code):
        frame = await self.recv_until(lambda f: f["type"] in ("error", "upload_ready", "upload_done"))
        assert frame["type"] == "error" and frame["code"] == code, f"wanted error {code}, got {frame}"
        return frame

    async def still_serves(self):
        await self.send("ping", nonce=7)
        await self.recv_type("pong")

    async def join(self, room):
        await self.send("join", room=room, history_limit=50)
        return await self.recv_type("joined")

    async def close(self):
        await self.ws.close()


def raw_http(port, data):
    """Sends raw bytes as an HTTP client would and returns the answer's status code, or
    None when the server closed without answering."""
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except ConnectionResetError:
            pass
    return int(answer[9:12]) if answer.startswith(b"HTTP/1.1 ") else None


def run_main(tests, what):
    """Runs each test(binary) with a deadline, reports every failure, exits non-zero on any."""
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} PATH/TO/parley-server")

    async def main(binary):
        passed = failed = 0
        for test in tests:
            try:
                await asyncio.wait_for(test(binary), 6 * DEADLINE)
                passed += 1
                print(f"PASS {test.__name__}")
            except Exception:  # report every failure, then carry on with the next test
                failed += 1
                print(f"FAIL {test.__name__}")
                traceback.print_exc()
        print(f"python {what} tests: {passed} passed, {failed} failed")
        return 0 if failed == 0 else 1

    sys.exit(asyncio.run(main(sys.argv[1])))
