#!/usr/bin/python3
"""Tokens, accounts and the REST API, from Python: the second-language client.

Usage: test_api.py PATH/TO/parley-server

Tokens are also minted here with the standard library (HMAC-SHA256), the way an outside
system holding the secret would, including broken ones: expired, tampered, alg none,
HS512, another issuer.
"""

import asyncio
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import websockets

DEADLINE = 10.0
SECRET = "an-example-secret-of-at-least-32-bytes!"
LISTENING = re.compile(r"parley-server listening on http://127\.0\.0\.1:(\d+)/")


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(sub, role="user", exp_in=600, alg="HS256", iss="parley", secret=SECRET):
    header = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    now = int(time.time())
    payload = b64(json.dumps({"iss": iss, "sub": sub, "role": role, "iat": now,
                              "exp": now + exp_in}).encode())
    signing = f"{header}.{payload}".encode()
    if alg == "none":
        return f"{header}.{payload}."
    digest = hashlib.sha512 if alg == "HS512" else hashlib.sha256
    sig = b64(hmac.new(secret.encode(), signing, digest).digest())
    return f"{header}.{payload}.{sig}"


class Server:
    def __init__(self, binary, *extra):
        self.binary, self.extra = binary, extra
        self.dir = Path(tempfile.mkdtemp(prefix="parley-api-"))
        (self.dir / "web").mkdir()
        (self.dir / "web" / "index.html").write_text("<!doctype html><title>t</title>\n")

    async def __aenter__(self):
        env = dict(os.environ, PARLEY_JWT_SECRET=SECRET)
        self.proc = await asyncio.create_subprocess_exec(
            self.binary, "--host", "127.0.0.1", "--port", "0",
            "--db", str(self.dir / "parley.db"), "--web-root", str(self.dir / "web"),
            "--assistant-delay-ms", "1", *self.extra, stdout=asyncio.subprocess.PIPE, env=env)
        line = (await asyncio.wait_for(self.proc.stdout.readline(), DEADLINE)).decode()
        m = LISTENING.fullmatch(line.rstrip("\n"))
        assert m, line
        self.port = int(m.group(1))
        self._drain = asyncio.ensure_future(self.proc.stdout.read())
        return self

    async def __aexit__(self, *exc):
        self.proc.terminate()
        assert await asyncio.wait_for(self.proc.wait(), DEADLINE) == 0
        await self._drain
        shutil.rmtree(self.dir, ignore_errors=True)

    def http(self, method, path, body=None, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEADLINE)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, None if body is None else json.dumps(body), headers)
        res = conn.getresponse()
        data = json.loads(res.read() or b"null")
        conn.close()
        return res.status, data

    async def ws(self):
        return await websockets.connect(f"ws://127.0.0.1:{self.port}/ws", open_timeout=DEADLINE)


async def send(ws, **frame):
    await ws.send(json.dumps({"v": 1, **frame}))


async def recv_type(ws, kind):
    while True:
        f = json.loads(await asyncio.wait_for(ws.recv(), DEADLINE))
        if f["type"] in (kind, "error"):
            return f


async def hello(server, token=None, name="ignored"):
    ws = await server.ws()
    frame = {"type": "hello", "name": name, "client": "pytest"}
    if token is not None:
        frame["token"] = token
    await send(ws, **frame)
    return ws, await recv_type(ws, "welcome")


async def test_tokens_on_the_websocket(binary):
    async with Server(binary) as s:
        status, body = s.http("POST", "/api/v1/token", {"name": "ann"})
        assert status == 200 and body["user"] == "ann" and body["role"] == "user", body
        ws, welcome = await hello(s, body["token"], name="somebody else")
        assert welcome["type"] == "welcome" and welcome["user"] == "ann", welcome

        # Refresh without reconnecting; a token for someone else is refused.
        await send(ws, type="auth", token=mint("ann"))
        authed = await recv_type(ws, "authed")
        assert authed["user"] == "ann" and authed["expires_at"] > time.time(), authed
        await send(ws, type="auth", token=mint("bob"))
        assert (await recv_type(ws, "authed"))["code"] == "forbidden"
        await ws.close()

        cases = {
            "token_expired": mint("ann", exp_in=-5),
            "token_algorithm": mint("ann", alg="none"),
            "token_invalid": mint("ann", secret="x" * 40),
        }
        cases_more = [("token_algorithm", mint("ann", alg="HS512")),
                      ("token_invalid", mint("ann", iss="elsewhere")),
                      ("token_invalid", "not.a.token"),
                      ("token_invalid", mint("ann")[:-3] + "abc")]
        for code, token in list(cases.items()) + cases_more:
            ws, answer = await hello(s, token)
            assert answer["type"] == "error" and answer["code"] == code, (code, answer)
            await ws.close()


async def test_expired_token_on_a_live_connection(binary):
    async with Server(binary) as s:
        short = mint("ann", exp_in=1)
        ws, welcome = await hello(s, short)
        assert welcome["type"] == "welcome"
        # Wait for the clock to pass the token's expiry (the thing under test is time).
        await asyncio.sleep(max(0.0, json.loads(base64.urlsafe_b64decode(
            short.split(".")[1] + "==="))["exp"] - time.time()) + 0.2)
        await send(ws, type="ping", nonce=5)
        assert (await recv_type(ws, "pong"))["nonce"] == 5, "pings still answered"
        await send(ws, type="join", room="lobby", history_limit=0)
        refused = await recv_type(ws, "joined")
        assert refused["type"] == "error" and refused["code"] == "token_expired", refused
        await send(ws, type="auth", token=mint("ann"))
        assert (await recv_type(ws, "authed"))["type"] == "authed"
        await send(ws, type="join", room="lobby", history_limit=0)
        assert (await recv_type(ws, "joined"))["type"] == "joined"
        await ws.close()


async def test_required_tokens(binary):
    async with Server(binary, "--require-token", "on", "--dev-login", "off") as s:
        ws, answer = await hello(s, None, name="ann")
        assert answer["code"] == "token_missing", answer
        await ws.close()
        status, body = s.http("POST", "/api/v1/token", {"name": "ann"})
        assert status == 401 and body["error"]["code"] == "bad_credentials", body
        ws, welcome = await hello(s, mint("ann"))
        assert welcome["user"] == "ann"
        await ws.close()


async def test_accounts(binary):
    async with Server(binary) as s:
        status, body = s.http("POST", "/api/v1/accounts", {"name": "root", "password": "correct horse"})
        assert status == 201 and body["role"] == "admin", body  # the first account
        status, body = s.http("POST", "/api/v1/accounts", {"name": "bob", "password": "battery staple"})
        assert status == 201 and body["role"] == "user", body
        status, body = s.http("POST", "/api/v1/accounts", {"name": "ROOT", "password": "whatever!!"})
        assert status == 409 and body["error"]["code"] == "conflict", body
        status, body = s.http("POST", "/api/v1/accounts", {"name": "eve", "password": "short"})
        assert status == 400 and body["error"]["code"] == "bad_field", body

        status, body = s.http("POST", "/api/v1/token", {"name": "root", "password": "correct horse"})
        assert status == 200 and body["role"] == "admin", body
        admin = body["token"]
        status, body = s.http("POST", "/api/v1/token", {"name": "root", "password": "wrong"})
        assert status == 401 and body["error"]["code"] == "bad_credentials", body
        # A registered name cannot be had through the bare-name login, over HTTP or in
        # a hello without a token.
        status, body = s.http("POST", "/api/v1/token", {"name": "root"})
        assert status == 401, body
        ws, answer = await hello(s, None, name="Root")
        assert answer["type"] == "error" and answer["code"] == "token_missing", answer
        await ws.close()

        status, body = s.http("GET", "/api/v1/stats", token=admin)
        assert status == 200 and "connections" in body and "rooms" in body, body
        status, body = s.http("GET", "/api/v1/stats", token=mint("bob"))
        assert status == 403 and body["error"]["code"] == "forbidden", body


async def test_rooms_and_messages(binary):
    async with Server(binary) as s:
        status, body = s.http("GET", "/api/v1/rooms")
        assert status == 401 and body["error"]["code"] == "token_missing", body
        status, body = s.http("GET", "/api/v1/rooms", token=mint("ann", alg="none"))
        assert status == 401 and body["error"]["code"] == "token_algorithm", body

        ann = mint("ann")
        # A live member of lobby sees what REST posts, and the assistant answers.
        ws, _ = await hello(s, ann)
        await send(ws, type="join", room="lobby", history_limit=0)
        await recv_type(ws, "joined")
        status, body = s.http("POST", "/api/v1/rooms/lobby/messages",
                              {"client_id": "rest-1", "text": "from REST"}, token=ann)
        assert status == 201 and body["seq"] == 1 and body["duplicate"] is False, body
        posted = await recv_type(ws, "message")
        assert posted["message"]["text"] == "from REST" and posted["message"]["author"] == "ann"
        assert (await recv_type(ws, "stream_completed"))["reply_seq"] == 2
        status, body = s.http("POST", "/api/v1/rooms/lobby/messages",
                              {"client_id": "rest-1", "text": "from REST"}, token=ann)
        assert status == 200 and body["duplicate"] is True and body["seq"] == 1, body
        status, body = s.http("POST", "/api/v1/rooms/lobby/messages",
                              {"client_id": "rest-2", "text": "   "}, token=ann)
        assert status == 400 and body["error"]["code"] == "invalid_text", body

        status, body = s.http("GET", "/api/v1/rooms/lobby/messages?limit=2", token=ann)
        assert status == 200 and [m["seq"] for m in body["messages"]] == [2, 3], body
        status, body = s.http("GET", "/api/v1/rooms/lobby/messages?after=1&limit=1", token=ann)
        assert [m["seq"] for m in body["messages"]] == [2], body
        status, body = s.http("GET", "/api/v1/rooms/lobby/messages?before=3&limit=5", token=ann)
        assert [m["seq"] for m in body["messages"]] == [1, 2], body
        status, body = s.http("GET", "/api/v1/rooms/lobby/messages?limit=500", token=ann)
        assert status == 400, body

        # A group room is invisible through REST to someone not in it.
        await send(ws, type="create_room", room="team", room_type="group")
        assert (await recv_type(ws, "room"))["room"] == "team"
        bob = mint("bob")
        for path in ("/api/v1/rooms/team", "/api/v1/rooms/team/messages"):
            status, body = s.http("GET", path, token=bob)
            assert status == 404 and body["error"]["code"] == "not_found", (path, body)
        status, body = s.http("POST", "/api/v1/rooms/team/messages",
                              {"client_id": "b-1", "text": "let me in"}, token=bob)
        assert status == 404 and body["error"]["code"] == "not_found", body
        status, body = s.http("GET", "/api/v1/rooms", token=ann)
        assert sorted(r["room"] for r in body["rooms"]) == ["lobby", "team"], body
        status, body = s.http("GET", "/api/v1/rooms/team", token=ann)
        assert status == 200 and body["members"] == [{"user": "ann", "role": "owner"}], body
        status, body = s.http("GET", "/api/v1/nothing", token=ann)
        assert status == 404, body
        await ws.close()


async def test_rooms_through_rest_and_channel_publishing(binary):
    async with Server(binary) as s:
        ann, bob, worker = mint("ann"), mint("bob"), mint("summariser", role="service")
        status, body = s.http("POST", "/api/v1/rooms",
                              {"room": "ops", "room_type": "group", "assistant": "off"}, token=ann)
        assert status == 201 and body["owner"] == "ann" and body["room_type"] == "group", body
        status, body = s.http("POST", "/api/v1/rooms", {"room": "ops"}, token=bob)
        assert status == 409 and body["error"]["code"] == "conflict", body
        status, body = s.http("POST", "/api/v1/rooms", {"room": "x", "room_type": "secret"}, token=bob)
        assert status == 400 and body["error"]["code"] == "bad_field", body

        # A service publishes into the channel; a member connected to it receives it.
        ws, _ = await hello(s, ann)
        await send(ws, type="join", room="ops", history_limit=0)
        joined_epoch = (await recv_type(ws, "joined"))["epoch"]
        status, body = s.http("POST", "/api/v1/channels/ops/publish",
                              {"client_id": "job-17", "text": "summary ready"}, token=worker)
        assert status == 201 and body["seq"] == 1, body
        posted = await recv_type(ws, "message")
        assert posted["message"]["kind"] == "system" and posted["message"]["author"] == "summariser"
        status, body = s.http("POST", "/api/v1/channels/ops/publish",
                              {"client_id": "job-17", "text": "summary ready"}, token=worker)
        assert status == 200 and body["duplicate"] is True, body
        # The same service over the WebSocket: send without joining, stored as its status.
        svc, _ = await hello(s, worker)
        await send(svc, type="send", room="ops", client_id="job-18", text="indexing 40%")
        ack = await recv_type(svc, "ack")
        assert ack["seq"] == 2 and ack["duplicate"] is False, ack
        posted = await recv_type(ws, "message")
        assert posted["message"]["kind"] == "system" and posted["message"]["text"] == "indexing 40%"
        await svc.close()
        # Unsubscribed, the member receives nothing; joining again from seq 2 gets seq 3.
        await send(ws, type="unsubscribe", room="ops")
        assert (await recv_type(ws, "unsubscribed"))["room"] == "ops"
        status, body = s.http("POST", "/api/v1/channels/ops/publish",
                              {"client_id": "job-19", "text": "summary posted"}, token=worker)
        assert status == 201 and body["seq"] == 3, body
        await send(ws, type="ping", nonce=5)
        while True:
            f = json.loads(await asyncio.wait_for(ws.recv(), DEADLINE))
            assert f["type"] != "message", f
            if f["type"] == "pong":
                break
        await send(ws, type="join", room="ops", history_limit=0, epoch=joined_epoch, after_seq=2)
        resumed = await recv_type(ws, "joined")
        assert resumed["resume"] == "ok" and [m["seq"] for m in resumed["history"]] == [3], resumed
        status, body = s.http("POST", "/api/v1/channels/ops/publish",
                              {"client_id": "x", "text": "hi"}, token=bob)
        assert status == 403 and body["error"]["code"] == "forbidden", body
        status, body = s.http("POST", "/api/v1/channels/nowhere/publish",
                              {"client_id": "x", "text": "hi"}, token=worker)
        assert status == 404, body

        # Only the owner deletes; the connected member hears of it.
        status, body = s.http("DELETE", "/api/v1/rooms/ops", token=bob)
        assert status == 404 and body["error"]["code"] == "not_found", body
        status, body = s.http("DELETE", "/api/v1/rooms/ops", token=ann)
        assert status == 200 and body == {"room": "ops", "deleted": True}, body
        assert (await recv_type(ws, "room_deleted"))["room"] == "ops"
        await ws.close()


TESTS = [test_rooms_through_rest_and_channel_publishing, test_tokens_on_the_websocket,
         test_expired_token_on_a_live_connection, test_required_tokens, test_accounts,
         test_rooms_and_messages]


async def main(binary):
    passed = failed = 0
    for test in TESTS:
        try:
            await asyncio.wait_for(test(binary), 6 * DEADLINE)
            passed += 1
            print(f"PASS {test.__name__}")
        except Exception:
            failed += 1
            print(f"FAIL {test.__name__}")
            traceback.print_exc()
    print(f"python api tests: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
