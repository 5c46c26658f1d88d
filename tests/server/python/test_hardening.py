#!/usr/bin/python3
"""Hostile and unlucky inputs, from a second implementation (Python's websockets and
http.client): REST bodies and queries of the wrong type, a removed member finishing an
upload, a retry under another letter case, tokens with trailing bytes, the assistant's
name as a member, room deletion and its files, password guessing, garbage frames and the
HTTP limits, and questions acknowledged just before a crash.

Usage: test_hardening.py PATH/TO/parley-server

Every wait has a deadline and waits on what the server says; nothing sleeps on a guess.
"""

import asyncio
import base64
import hashlib
import http.client
import json
import signal
import statistics
import time

import websockets

from parley_harness import DEADLINE, Client, Server, raw_http, run_main


def rest(server, method, path, body=None, token=None, raw_body=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=DEADLINE)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
    conn.request(method, path, data, headers)
    res = conn.getresponse()
    payload = res.read()
    conn.close()
    return res.status, (json.loads(payload) if payload else None)


def token_for(server, name):
    status, body = rest(server, "POST", "/api/v1/token", {"name": name})
    assert status == 200, body
    return body["token"]


def assert_error(result, status, code, path=None):
    got_status, body = result
    assert got_status == status, (status, result)
    assert body["error"]["code"] == code, (code, result)
    if path is not None:
        assert body["error"]["message"].startswith(path + ":"), (path, result)


async def test_rest_fields_of_the_wrong_type_are_refused_and_the_server_stays_up(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = token_for(server, "ann")
        for body, path in [({"room": "x", "room_type": 42}, "room_type"),
                           ({"room": "x", "assistant": ["off"]}, "assistant"),
                           ({"room": "x", "assistant": None}, "assistant"),
                           ({"room": 7}, "room"),
                           ({"room": {"a": 1}}, "room"),
                           ({"room": "x", "room_type": "castle"}, "room_type"),
                           ({}, "room")]:
            assert_error(rest(server, "POST", "/api/v1/rooms", body, token=ann), 400, "bad_field", path)
        for raw in ["[]", "\"room\"", "{", "", "null", "{\"room\":\"x\"} trailing"]:
            assert_error(rest(server, "POST", "/api/v1/rooms", raw_body=raw, token=ann), 400, "bad_json")
        for body, path in [({"client_id": 5, "text": "hi"}, "client_id"),
                           ({"client_id": "c-1", "text": ["hi"]}, "text"),
                           ({"client_id": "c-1", "text": "hi", "options": "fast"}, "options"),
                           ({"client_id": "c-1", "text": "hi", "options": {"temperature": "hot"}},
                            "options.temperature"),
                           ({"client_id": "c-1", "text": "hi", "edits": -1}, "edits"),
                           ({"text": "hi"}, "client_id")]:
            assert_error(rest(server, "POST", "/api/v1/rooms/lobby/messages", body, token=ann),
                         400, "bad_field", path)
        for body, path in [({"name": 1}, "name"), ({"name": "bob", "password": 12345678}, "password"),
                           ({"name": ["bob"]}, "name")]:
            assert_error(rest(server, "POST", "/api/v1/token", body), 400, "bad_field", path)
            assert_error(rest(server, "POST", "/api/v1/accounts", body), 400, "bad_field", path)
        for query, path in [("limit=-1", "limit"), ("limit=abc", "limit"),
                            ("limit=100000000000000000000000", "limit"), ("limit=0", "limit"),
                            ("limit=201", "limit"), ("limit=", "limit"), ("limit", "limit"),
                            ("limit=+5", "limit"), ("limit=5&limit=6", "limit"),
                            ("limit=1.5", "limit"), ("after=-5", "after"), ("after=x", "after"),
                            ("before=99999999999999999999", "before"),
                            ("after=1&before=3", "after, before")]:
            assert_error(rest(server, "GET", f"/api/v1/rooms/lobby/messages?{query}", token=ann),
                         400, "bad_field", path)
        # Keys the endpoint does not know are ignored; good values still work.
        status, body = rest(server, "GET", "/api/v1/rooms/lobby/messages?x=1&limit=200&", token=ann)
        assert status == 200 and body["room"] == "lobby", body
        status, body = rest(server, "POST", "/api/v1/rooms", {"room": "fine", "room_type": "group",
                                                             "assistant": "off", "extra": 1}, token=ann)
        assert status == 201 and body["room_type"] == "group", body
        status, body = rest(server, "GET", "/health")
        assert status == 200 and body["status"] == "ok", body
    finally:
        await server.stop()


async def test_a_removed_member_cannot_finish_an_upload(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        bob = await Client.connect(server.port, "bob")
        await ann.send("create_room", room="team", room_type="group", assistant="off")
        await ann.recv_type("room")
        await ann.send("invite", room="team", user="bob", role="member")
        await ann.recv_type("room")
        await ann.join("team")
        await bob.join("team")
        data = b"secret plans " * 6000  # three chunks of 32 KiB
        await bob.send("upload_init", room="team", upload_id="late", file_name="plans.txt",
                       file_size=len(data), media_type="text/plain")
        ready = await bob.recv_type("upload_ready")
        size = ready["chunk_bytes"]
        parts = [data[i:i + size] for i in range(0, len(data), size)]
        assert len(parts) >= 3, len(parts)
        await bob.send("upload_chunk", upload_id="late", index=0,
                       data=base64.b64encode(parts[0]).decode())
        await bob.recv_until(lambda f: f["type"] == "upload_progress" and f["next_chunk"] == 1)

        await ann.send("remove_member", room="team", user="bob")
        await ann.recv_type("room")
        await bob.recv_until(lambda f: f["type"] == "member" and f.get("removed"))

        await bob.send("upload_chunk", upload_id="late", index=1,
                       data=base64.b64encode(parts[1]).decode())
        await bob.expect_error("not_joined")
        await bob.send("upload_finish", upload_id="late", sha256=hashlib.sha256(data).hexdigest())
        await bob.expect_error("not_joined")
        await ann.send("list_documents", room="team")
        listed = await ann.recv_type("documents")
        assert listed["documents"] == [], listed
        sha = hashlib.sha256(data).hexdigest()
        assert not (server.dir / "files" / sha[:2] / sha).exists()
        await ann.close()
        await bob.close()
    finally:
        await server.stop()


async def test_a_retry_under_another_letter_case_is_the_same_message(binary):
    server = Server(binary)
    await server.start()
    try:
        first = await Client.connect(server.port, "Ann")
        await first.join("lobby")
        await first.send("send", room="lobby", client_id="same-id", text="only once")
        ack = await first.recv_type("ack")
        assert ack["duplicate"] is False, ack
        await first.close()
        again = await Client.connect(server.port, "ann")
        await again.join("lobby")
        await again.send("send", room="lobby", client_id="same-id", text="only once")
        retry = await again.recv_type("ack")
        assert retry["duplicate"] is True and retry["seq"] == ack["seq"], (ack, retry)
        status, body = rest(server, "GET", "/api/v1/rooms/lobby/messages?limit=200",
                            token=token_for(server, "ann"))
        texts = [m["text"] for m in body["messages"] if m["kind"] == "user"]
        assert texts == ["only once"], texts
        await again.close()
    finally:
        await server.stop()


async def test_a_token_with_bytes_after_it_is_invalid(binary):
    server = Server(binary)
    await server.start()
    try:
        good = token_for(server, "ann")
        for tail in ["\u0000junk", "\u0000", " ", "\n", "=="]:
            client = Client(await websockets.connect(f"ws://127.0.0.1:{server.port}/ws",
                                                     open_timeout=DEADLINE))
            await client.send("hello", name="ann", client="pytest", token=good + tail)
            err = await client.expect_error("token_invalid")
            assert err["ref"] == "hello", err
            await client.close()
        status, body = rest(server, "GET", "/api/v1/rooms", token=good + "=")
        assert status == 401 and body["error"]["code"] == "token_invalid", body
        status, body = rest(server, "GET", "/api/v1/rooms", token=good)
        assert status == 200, body
    finally:
        await server.stop()


async def test_the_assistants_name_cannot_be_invited(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.send("create_room", room="team", room_type="group", assistant="off")
        await ann.recv_type("room")
        for name in ["Parley", "parley", "PARLEY", "pArLeY"]:
            await ann.send("invite", room="team", user=name, role="member")
            err = await ann.expect_error("invalid_name")
            assert err["ref"] == name, err
        await ann.send("get_room", room="team")
        room = await ann.recv_type("room")
        assert [m["user"] for m in room["members"]] == ["ann"], room
        await ann.close()
    finally:
        await server.stop()


async def upload(client, room, upload_id, name, data):
    await client.send("upload_init", room=room, upload_id=upload_id, file_name=name,
                      file_size=len(data), media_type="text/plain")
    ready = await client.recv_type("upload_ready")
    size = ready["chunk_bytes"]
    total = (len(data) + size - 1) // size
    for i in range(total):
        await client.send("upload_chunk", upload_id=upload_id, index=i,
                          data=base64.b64encode(data[i * size:(i + 1) * size]).decode())
    await client.recv_until(lambda f: f["type"] == "upload_progress" and f["next_chunk"] == total)
    await client.send("upload_finish", upload_id=upload_id, sha256=hashlib.sha256(data).hexdigest())
    return (await client.recv_type("upload_done"))["document"]


async def files_queue_passed(client, probe):
    """The server's file work runs in order: once a new upload is ready, what was queued
    before it (file removals) has run."""
    await client.send("upload_init", room="lobby", upload_id=probe, file_name="probe.txt",
                      file_size=1, media_type="text/plain")
    await client.recv_type("upload_ready")


async def test_deleting_a_room_deletes_its_files(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        token = token_for(server, "ann")
        await ann.join("lobby")
        for room in ("docs", "other"):
            await ann.send("create_room", room=room, room_type="group", assistant="off")
            await ann.recv_type("room")
            await ann.join(room)
        only = b"only in docs: the launch code is 0000\n"
        shared = b"in two rooms: the meeting is on Tuesday\n"
        await upload(ann, "docs", "u-1", "only.txt", only)
        await upload(ann, "docs", "u-2", "shared.txt", shared)
        await upload(ann, "other", "u-3", "shared.txt", shared)

        def stored(data):
            sha = hashlib.sha256(data).hexdigest()
            return server.dir / "files" / sha[:2] / sha

        assert stored(only).exists() and stored(shared).exists()
        # Over REST, as over the WebSocket: the bytes go with the room.
        status, body = rest(server, "DELETE", "/api/v1/rooms/docs", token=token)
        assert status == 200 and body == {"room": "docs", "deleted": True}, body
        await ann.recv_until(lambda f: f["type"] == "room_deleted" and f["room"] == "docs")
        await files_queue_passed(ann, "probe-1")
        assert not stored(only).exists(), "the deleted room's file is still on disk"
        assert stored(shared).exists(), "a file another room's document uses was deleted"

        await ann.send("delete_room", room="other")
        await ann.recv_until(lambda f: f["type"] == "room_deleted" and f["room"] == "other")
        await files_queue_passed(ann, "probe-2")
        assert not stored(shared).exists()
        await ann.close()
    finally:
        await server.stop()


async def test_password_guessing_is_throttled_and_costs_the_same_either_way(binary):
    server = Server(binary, "--sign-in-failures", "5", "--sign-in-failures-per-address", "12",
                    "--sign-in-window-ms", "3000")
    await server.start()
    try:
        status, body = rest(server, "POST", "/api/v1/accounts", {"name": "ann", "password": "right horse"})
        assert status == 201, body

        def timed(body):
            t0 = time.monotonic()
            result = rest(server, "POST", "/api/v1/token", body)
            return time.monotonic() - t0, result

        # A wrong password and an unknown name take the same work (a password check).
        wrong, unknown = [], []
        for i in range(3):
            took, result = timed({"name": "ann", "password": f"guess {i}"})
            assert_error(result, 401, "bad_credentials")
            wrong.append(took)
            took, result = timed({"name": f"nobody{i}", "password": "guess"})
            assert_error(result, 401, "bad_credentials")
            unknown.append(took)
        assert statistics.median(unknown) > 0.3 * statistics.median(wrong), (wrong, unknown)

        for i in range(3, 5):
            assert_error(rest(server, "POST", "/api/v1/token", {"name": "ann", "password": f"guess {i}"}),
                         401, "bad_credentials")
        # Five failures under the name: even the right password waits now, in any case.
        for name in ("ann", "ANN"):
            status, body = rest(server, "POST", "/api/v1/token", {"name": name, "password": "right horse"})
            assert status == 429 and body["error"]["code"] == "rate_limited", body
            wait_ms = body["error"]["retry_after_ms"]
            assert 0 < wait_ms <= 3000, body
        # From this address: 5 + 3 failures so far; four more and the address is stopped too.
        for i in range(4):
            assert_error(rest(server, "POST", "/api/v1/token", {"name": f"other{i}", "password": "x"}),
                         401, "bad_credentials")
        status, body = rest(server, "POST", "/api/v1/token", {"name": "someone", "password": "x"})
        assert status == 429 and body["error"]["code"] == "rate_limited", body

        # When the window has passed (the server said how long), the right password works.
        await asyncio.sleep(body["error"]["retry_after_ms"] / 1000 + 0.05)
        deadline = time.monotonic() + DEADLINE
        while True:
            status, body = rest(server, "POST", "/api/v1/token", {"name": "ann", "password": "right horse"})
            if status != 429 or time.monotonic() > deadline:
                break
            await asyncio.sleep(body["error"]["retry_after_ms"] / 1000 + 0.01)
        assert status == 200 and body["user"] == "ann", body
    finally:
        await server.stop()


async def test_frames_that_fail_to_decode_count_against_the_rate_limit(binary):
    server = Server(binary, "--rate-frames", "10", "--rate-window-ms", "60000")
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")  # hello: 1 of the 10
        garbage = ["not json", "{\"v\":1,\"type\":\"no_such_type\"}", "[1,2,3]", "{\"v\":9}",
                   "x" * 70000, "{\"v\":1,\"type\":\"send\",\"room\":5}"]
        codes = []
        for i in range(30):
            await ann.ws.send(garbage[i % len(garbage)])
            frame = await ann.recv()
            assert frame["type"] == "error", frame
            codes.append(frame["code"])
        assert "rate_limited" not in codes[:9], codes
        assert codes[9:] == ["rate_limited"] * 21, codes
        # A good frame is refused too until the window moves; pings still answer.
        await ann.send("send", room="lobby", client_id="c-1", text="hello")
        frame = await ann.recv()
        assert frame["type"] == "error" and frame["code"] == "rate_limited" and frame["retry_after_ms"] > 0, frame
        await ann.still_serves()
        await ann.close()
    finally:
        await server.stop()


async def test_http_requests_over_the_limits_get_a_status(binary):
    server = Server(binary, "--http-read-timeout-ms", "500")
    await server.start()
    try:
        port = server.port
        big_header = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * (17 * 1024) + b"\r\n\r\n"
        assert raw_http(port, big_header) == 431
        big_body = (b"POST /api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 70000\r\n\r\n" + b"{" * 1000)
        assert raw_http(port, big_body) == 413
        # Half a request, then silence: 408 once the read time is over.
        assert raw_http(port, b"GET /health HTTP/1.1\r\nHost: x\r\n") == 408
        assert raw_http(port, b"\x16\x03\x01\x02\x00garbage\r\n\r\n") == 400
        assert raw_http(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n") == 200
    finally:
        await server.stop()


async def ask_many_and_stop(binary, how):
    """200 questions pipelined; after the 100th ack the server is stopped with `how`
    (SIGKILL or SIGTERM) and started again: every stored question gets a reply."""
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.join("lobby")
        for i in range(200):
            await ann.send("send", room="lobby", client_id=f"q-{i}", text=f"question number {i}, what is {i} + 1?")
        acked = []
        while len(acked) < 100:
            frame = await ann.recv()
            if frame["type"] == "ack":
                acked.append(frame["seq"])
        if how == signal.SIGKILL:
            server.proc.kill()
            await server.proc.wait()
            await server._drain
        else:
            await server.stop(keep=True)
        await ann.close()
        await server.start()

        watcher = await Client.connect(server.port, "watcher")
        await watcher.join("lobby")
        token = token_for(server, "watcher")
        deadline = time.monotonic() + 4 * DEADLINE
        while True:
            messages, after = [], 0
            while True:
                status, body = rest(server, "GET", f"/api/v1/rooms/lobby/messages?after={after}&limit=200",
                                    token=token)
                assert status == 200, body
                messages += body["messages"]
                if not body["messages"] or body["messages"][-1]["seq"] >= body["head_seq"]:
                    break
                after = body["messages"][-1]["seq"]
            questions = {m["seq"] for m in messages if m["kind"] == "user" and m["author"] == "ann"}
            assert set(acked) <= questions, "an acknowledged question was lost"
            answered = {m["ref"] for m in messages if m["kind"] == "assistant"
                        and m["status"] != "streaming" and "ref" in m}
            missing = sorted(questions - answered)
            if not missing:
                break
            assert time.monotonic() < deadline, f"{len(missing)} questions never answered: {missing[:10]}"
            # The next reply to finish is the event to wait for.
            await watcher.recv_until(lambda f: f["type"] == "stream_completed")
        await watcher.close()
    finally:
        await server.stop()


async def test_questions_acknowledged_before_a_crash_are_answered(binary):
    await ask_many_and_stop(binary, signal.SIGKILL)


async def test_questions_acknowledged_before_a_stop_are_answered(binary):
    await ask_many_and_stop(binary, signal.SIGTERM)


TESTS = [test_rest_fields_of_the_wrong_type_are_refused_and_the_server_stays_up,
         test_a_removed_member_cannot_finish_an_upload,
         test_a_retry_under_another_letter_case_is_the_same_message,
         test_a_token_with_bytes_after_it_is_invalid,
         test_the_assistants_name_cannot_be_invited,
         test_deleting_a_room_deletes_its_files,
         test_password_guessing_is_throttled_and_costs_the_same_either_way,
         test_frames_that_fail_to_decode_count_against_the_rate_limit,
         test_http_requests_over_the_limits_get_a_status,
         test_questions_acknowledged_before_a_crash_are_answered,
         test_questions_acknowledged_before_a_stop_are_answered]

if __name__ == "__main__":
    run_main(TESTS, "hardening")
