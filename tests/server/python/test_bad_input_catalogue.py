#!/usr/bin/python3
"""A catalogue of hostile inputs, each with the exact code or status the protocol
documents for it (docs/protocol.md sections 11, 16 and 18): WebSocket frames that are not
JSON, have a broken envelope, miss or mistype each field of every client message, or ask
for what the sender may not do; REST requests with bad tokens, bodies, queries, paths and
methods; raw HTTP over the limits. The whole catalogue runs several times against one
server, which must answer every entry, store nothing, keep serving, and keep its memory
flat (its RSS is printed).

Usage: test_bad_input_catalogue.py PATH/TO/parley-server
"""

import asyncio
import http.client
import json
import os

from parley_harness import DEADLINE, Client, Server, raw_http, run_main

ROUNDS = 4

# Fields of every client message: name -> (JSON kind, required, a valid value).
CLIENT_TYPES = {
    "join": {"room": ("str", True, "lobby"), "history_limit": ("u32", False, 5),
             "epoch": ("str", False, "e"), "after_seq": ("u64", False, 1)},
    "send": {"room": ("str", True, "lobby"), "client_id": ("str", True, "c-1"),
             "text": ("str", True, "hi"), "options": ("obj", False, {}), "edits": ("u64", False, 1)},
    "create_room": {"room": ("str", True, "r"), "room_type": ("word", False, "shared"),
                    "assistant": ("word", False, "off")},
    "leave": {"room": ("str", True, "lobby")},
    "unsubscribe": {"room": ("str", True, "lobby")},
    "delete_room": {"room": ("str", True, "lobby")},
    "get_room": {"room": ("str", True, "lobby")},
    "list_documents": {"room": ("str", True, "lobby")},
    "stop": {"room": ("str", True, "lobby"), "gen_id": ("str", True, "g1")},
    "regenerate": {"room": ("str", True, "lobby"), "seq": ("u64", True, 1), "options": ("obj", False, {})},
    "fetch_history": {"room": ("str", True, "lobby"), "before_seq": ("u64", True, 5),
                      "limit": ("u32", False, 5)},
    "invite": {"room": ("str", True, "lobby"), "user": ("str", True, "bob"), "role": ("word", False, "member")},
    "remove_member": {"room": ("str", True, "lobby"), "user": ("str", True, "bob")},
    "set_assistant": {"room": ("str", True, "lobby"), "assistant": ("word", True, "off")},
    "typing": {"room": ("str", True, "lobby"), "active": ("bool", False, True)},
    "mark": {"room": ("str", True, "lobby"), "delivered": ("u64", False, 1), "read": ("u64", False, 1)},
    "upload_init": {"room": ("str", True, "lobby"), "upload_id": ("str", True, "u"),
                    "file_name": ("str", True, "a.txt"), "file_size": ("u64", True, 3),
                    "media_type": ("str", True, "text/plain")},
    "upload_chunk": {"upload_id": ("str", True, "u"), "index": ("u32", True, 0), "data": ("str", True, "YWJj")},
    "upload_finish": {"upload_id": ("str", True, "u"), "sha256": ("str", True, "0" * 64)},
    "delete_document": {"room": ("str", True, "lobby"), "document_id": ("u64", True, 1)},
    "component_submit": {"room": ("str", True, "lobby"), "seq": ("u64", True, 1), "action": ("str", False, "submit")},
    "state_change_request": {"room": ("str", True, "lobby"), "state": ("word", True, "listening")},
    "speech_event": {"room": ("str", True, "lobby"), "event": ("str", True, "start")},
    "transcript_update": {"room": ("str", True, "lobby"), "confidence": ("num", False, 0.5)},
    "ping": {"nonce": ("u64", True, 1)},
    "auth": {"token": ("str", True, "x.y.z")},
}

WRONG = {"str": [5, ["x"]], "u32": ["7", -1, 4294967296], "u64": ["7", -1, 1.5],
         "bool": ["yes"], "word": [3, "no-such-word"], "obj": ["x"], "num": ["hot"]}


def ws_catalogue():
    """(frame text, expected error code) for one greeted connection of 'ann', who has
    joined the lobby and is no member of the group room 'team'."""
    out = []
    for text in ["", " ", "nul", "{", "}", "[]", "[1,2]", "1", "\"str\"", "null", "true",
                 "{\"v\":1", "{'v':1,'type':'ping'}", "{\"v\":1,\"type\":\"ping\",\"nonce\":1}}",
                 "{\"v\":1,\"type\":\"ping\",\"nonce\":1,}", "\u0000"]:
        out.append((text, "bad_json"))
    for frame in [{"type": "ping", "nonce": 1}, {"v": "1", "type": "ping", "nonce": 1},
                  {"v": 1.5, "type": "ping", "nonce": 1}, {"v": True, "type": "ping"},
                  {"v": None, "type": "ping"}, {"v": 1}, {"v": 1, "type": 5}, {"v": 1, "type": None},
                  {"v": 1, "type": ["ping"]}]:
        out.append((json.dumps(frame), "bad_envelope"))
    for v in [0, 2, -1, 99999999999]:
        out.append((json.dumps({"v": v, "type": "ping", "nonce": 1}), "unsupported_version"))
    for t in ["dance", "", "PING", "ping ", "__proto__", "constructor", "hello2", "x" * 300]:
        out.append((json.dumps({"v": 1, "type": t}), "unknown_type"))
    # Every required field missing, every field of a wrong JSON type.
    for t, fields in CLIENT_TYPES.items():
        valid = {name: value for name, (_, _, value) in fields.items()}
        for name, (kind, required, _) in fields.items():
            if required:
                frame = {"v": 1, "type": t, **{k: v for k, v in valid.items() if k != name}}
                out.append((json.dumps(frame), "bad_field"))
            for wrong in WRONG[kind]:
                if kind == "word" and wrong == "no-such-word" and name in ("state",):
                    continue
                out.append((json.dumps({"v": 1, "type": t, **valid, name: wrong}), "bad_field"))
    # Server messages sent by a client; a second hello.
    for frame in [{"v": 1, "type": "pong", "nonce": 1},
                  {"v": 1, "type": "unsubscribed", "room": "lobby"},
                  {"v": 1, "type": "document_deleted", "room": "lobby", "document_id": 1},
                  {"v": 1, "type": "hello", "name": "ann"}]:
        out.append((json.dumps(frame), "unexpected_type"))
    # Well-formed, but not allowed or not valid here.
    def f(t, **fields):
        return json.dumps({"v": 1, "type": t, **fields})
    out += [
        (f("join", room="Not A Room!"), "invalid_room"),
        (f("join", room=""), "invalid_room"),
        (f("join", room="a/b"), "invalid_room"),
        (f("join", room="x" * 65), "invalid_room"),
        (f("join", room="lobby", history_limit=201), "bad_field"),
        (f("join", room="lobby", epoch="e" * 65, after_seq=1), "bad_field"),
        (f("send", room="lobby", client_id="e-1", text=""), "invalid_text"),
        (f("send", room="lobby", client_id="e-2", text=" \n\t "), "invalid_text"),
        (f("send", room="lobby", client_id="e-3", text="x" * 8001), "invalid_text"),
        (f("send", room="lobby", client_id="e-4", text="bell \u0007"), "invalid_text"),
        (f("send", room="lobby", client_id="", text="hi"), "invalid_client_id"),
        (f("send", room="lobby", client_id="x" * 65, text="hi"), "invalid_client_id"),
        (f("send", room="lobby", client_id="with space", text="hi"), "invalid_client_id"),
        (f("send", room="lobby", client_id="e-5", text="hi", options={"temperature": 7}), "bad_field"),
        (f("send", room="lobby", client_id="e-6", text="hi", options={"max_tokens": 40000}), "bad_field"),
        (f("send", room="lobby", client_id="e-7", text="hi", edits=999999), "invalid_target"),
        (f("send", room="elsewhere", client_id="e-8", text="hi"), "not_joined"),
        (f("get_room", room="team"), "not_found"),
        (f("join", room="team"), "not_found"),
        (f("delete_room", room="team"), "not_found"),
        (f("invite", room="team", user="ann"), "not_found"),
        (f("set_assistant", room="team", assistant="off"), "not_found"),
        (f("delete_room", room="lobby"), "forbidden"),
        (f("delete_room", room="shared-bob"), "forbidden"),
        (f("remove_member", room="shared-bob", user="bob"), "forbidden"),
        (f("invite", room="lobby", user="Parley"), "invalid_name"),
        (f("invite", room="lobby", user="pArLeY"), "invalid_name"),
        (f("invite", room="lobby", user=" padded "), "invalid_name"),
        (f("invite", room="lobby", user="n" * 33), "invalid_name"),
        (f("create_room", room="team"), "conflict"),
        (f("create_room", room="Bad Room"), "invalid_room"),
        (f("stop", room="lobby", gen_id="g-none"), "not_found"),
        (f("regenerate", room="lobby", seq=999999), "invalid_target"),
        (f("regenerate", room="elsewhere", seq=1), "not_joined"),
        (f("upload_init", room="lobby", upload_id="u-1", file_name="../etc/passwd", file_size=3,
           media_type="text/plain"), "invalid_file_name"),
        (f("upload_init", room="lobby", upload_id="u-2", file_name="a.exe", file_size=3,
           media_type="application/x-msdownload"), "unsupported_type"),
        (f("upload_init", room="lobby", upload_id="u-3", file_name="a.txt", file_size=10 ** 12,
           media_type="text/plain"), "file_too_large"),
        (f("upload_init", room="lobby", upload_id="u-4", file_name="a.txt", file_size=0,
           media_type="text/plain"), "bad_field"),
        (f("upload_chunk", upload_id="nothing", index=0, data="YWJj"), "not_found"),
        (f("upload_chunk", upload_id="nothing", index=0, data="***"), "bad_field"),
        (f("upload_finish", upload_id="nothing", sha256="xyz"), "bad_field"),
        (f("upload_finish", upload_id="nothing", sha256="a" * 64), "not_found"),
        (f("delete_document", room="lobby", document_id=424242), "not_found"),
        (f("component_submit", room="lobby", seq=1, action="submit", values={"a": "b"}), "invalid_target"),
        (f("component_submit", room="lobby", seq=1, action="submit", values={"a": 1}), "bad_field"),
        (f("typing", room="elsewhere", active=True), "not_joined"),
        (f("transcript_update", room="lobby", confidence=2), "bad_field"),
        (f("speech_event", room="lobby", event=""), "bad_field"),
        (f("auth", token="not.a.token"), "token_invalid"),
        (f("auth", token="abc\u0000def.x.y"), "token_invalid"),
        (f("auth", token=""), "token_missing"),
    ]
    return out


def rest_catalogue(ann):
    """(method, path, body or None, token or header, expected status, expected code)."""
    none_alg = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbm4ifQ."
    out = [
        ("GET", "/api/v1/rooms", None, None, 401, "token_missing"),
        ("GET", "/api/v1/rooms", None, "Basic YW5uOng=", 401, "token_missing"),
        ("GET", "/api/v1/rooms", None, "Bearer ", 401, "token_missing"),
        ("GET", "/api/v1/rooms", None, "Bearer garbage", 401, "token_invalid"),
        ("GET", "/api/v1/rooms", None, "Bearer " + ann + "=", 401, "token_invalid"),
        ("GET", "/api/v1/rooms", None, "Bearer " + ann[:-2], 401, "token_invalid"),
        ("GET", "/api/v1/rooms", None, "Bearer " + none_alg, 401, "token_algorithm"),
        ("GET", "/api/v1/nothing", None, ann, 404, "not_found"),
        ("PUT", "/api/v1/rooms", None, ann, 405, "bad_method"),
        ("GET", "/api/v1/token", None, None, 405, "bad_method"),
        ("DELETE", "/api/v1/accounts", None, None, 405, "bad_method"),
        ("GET", "/api/v1/stats", None, ann, 403, "forbidden"),
        ("GET", "/api/v1/rooms/Bad%20Room!", None, ann, 400, "invalid_room"),
        ("GET", "/api/v1/rooms/a%2Fb/messages", None, ann, 400, "invalid_room"),
        ("GET", "/api/v1/rooms/team", None, ann, 404, "not_found"),
        ("GET", "/api/v1/rooms/team/messages", None, ann, 404, "not_found"),
        ("POST", "/api/v1/rooms/team/messages", {"client_id": "r-1", "text": "hi"}, ann, 404, "not_found"),
        ("DELETE", "/api/v1/rooms/team", None, ann, 404, "not_found"),
        ("DELETE", "/api/v1/rooms/lobby", None, ann, 403, "forbidden"),
        ("DELETE", "/api/v1/rooms/shared-bob", None, ann, 403, "forbidden"),
        ("POST", "/api/v1/rooms", {"room": "team"}, ann, 409, "conflict"),
        ("POST", "/api/v1/channels/lobby/publish", {"client_id": "p", "text": "x"}, ann, 403, "forbidden"),
        ("POST", "/api/v1/rooms/lobby/messages", {"client_id": "r-2", "text": ""}, ann, 400, "invalid_text"),
        ("POST", "/api/v1/rooms/lobby/messages", {"client_id": "bad id", "text": "x"}, ann, 400, "invalid_client_id"),
        ("POST", "/api/v1/rooms/lobby/messages", {"client_id": "r-3", "text": "x", "edits": 99999}, ann, 400,
         "invalid_target"),
        ("POST", "/api/v1/token", {"name": "Parley"}, None, 400, "invalid_name"),
        ("POST", "/api/v1/token", {"name": ""}, None, 400, "invalid_name"),
        ("POST", "/api/v1/accounts", {"name": "carol", "password": "short"}, None, 400, "bad_field"),
    ]
    for raw in ["", "[]", "{", "null", "\"x\"", "{} x", "\xff"]:
        out.append(("POST", "/api/v1/rooms", raw, ann, 400, "bad_json"))
        out.append(("POST", "/api/v1/token", raw, None, 400, "bad_json"))
    for body in [{"room": "x", "room_type": 42}, {"room": "x", "assistant": ["off"]}, {"room": 1}, {},
                 {"room": "x", "room_type": "castle"}, {"room": "x", "assistant": None}]:
        out.append(("POST", "/api/v1/rooms", body, ann, 400, "bad_field"))
    for body in [{"client_id": 5, "text": "x"}, {"client_id": "c", "text": 5}, {"text": "x"},
                 {"client_id": "c", "text": "x", "options": []}, {"client_id": "c", "text": "x", "edits": "1"}]:
        out.append(("POST", "/api/v1/rooms/lobby/messages", body, ann, 400, "bad_field"))
    for body in [{"name": 1}, {"name": "x", "password": 1}, {"name": None}]:
        out.append(("POST", "/api/v1/token", body, None, 400, "bad_field"))
        out.append(("POST", "/api/v1/accounts", body, None, 400, "bad_field"))
    for q in ["limit=-1", "limit=abc", "limit=100000000000000000000000", "limit=0", "limit=201",
              "limit=1&limit=1", "after=-1", "before=x", "after=1&before=2", "limit=%31"]:
        out.append(("GET", f"/api/v1/rooms/lobby/messages?{q}", None, ann, 400, "bad_field"))
    return out


def rest(port, method, path, body, auth):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = auth if auth.startswith(("Bearer", "Basic")) else f"Bearer {auth}"
    data = body if isinstance(body, str) or body is None else json.dumps(body)
    conn.request(method, path, data, headers)
    res = conn.getresponse()
    payload = res.read()
    conn.close()
    return res.status, (json.loads(payload) if payload else None)


RAW_HTTP = [
    (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * (17 * 1024) + b"\r\n\r\n", 431),
    (b"POST /api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n{", 413),
    (b"GET /health HTTP/1.1\r\nHost: x\r\n", 408),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n", 400),
    (b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /nothing-here.js HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    (b"GET /ws HTTP/1.1\r\nHost: x\r\n\r\n", 426),
    (b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def test_every_hostile_input_gets_its_documented_answer(binary):
    server = Server(binary, "--http-read-timeout-ms", "300")
    await server.start()
    try:
        bob = await Client.connect(server.port, "bob")
        await bob.send("create_room", room="team", room_type="group", assistant="off")
        await bob.recv_type("room")
        await bob.send("create_room", room="shared-bob", room_type="shared", assistant="off")
        await bob.recv_type("room")
        ann = await Client.connect(server.port, "ann")
        joined = await ann.join("lobby")
        head = joined["head_seq"]

        def token(name):
            status, body = rest(server.port, "POST", "/api/v1/token", {"name": name}, None)
            assert status == 200, body
            return body["token"]
        ann_token = token("ann")
        ws_inputs = ws_catalogue()
        rest_inputs = rest_catalogue(ann_token)
        total = len(ws_inputs) + len(rest_inputs) + len(RAW_HTTP)
        assert total >= 150, total

        rss = []
        for round_ in range(ROUNDS):
            wrong = []
            for text, code in ws_inputs:
                await ann.ws.send(text)
                frame = await ann.recv()
                if frame.get("type") != "error" or frame.get("code") != code:
                    wrong.append((text[:120], code, frame))
            for method, path, body, auth, status, code in rest_inputs:
                got_status, got = rest(server.port, method, path, body, auth)
                got_code = got["error"]["code"] if isinstance(got, dict) and isinstance(got.get("error"), dict) else got
                if got_status != status or got_code != code:
                    wrong.append((method, path, body, status, code, got_status, got))
            for data, status in RAW_HTTP:
                got = raw_http(server.port, data)
                if got != status:
                    wrong.append((data[:60], status, got))
            assert not wrong, f"{len(wrong)} answers differ from the documented ones:\n" + \
                "\n".join(repr(w) for w in wrong)
            await ann.still_serves()
            rss.append(rss_kib(server.proc.pid))
        print(f"catalogue: {total} hostile inputs x {ROUNDS} rounds, all answered as documented; "
              f"server RSS after each round (KiB): {rss}")
        # Flat: after the first round (which warms caches and pools) it grows by less than
        # 2 MiB over the remaining rounds. Under AddressSanitizer freed memory sits in its
        # quarantine, so RSS grows by design; LeakSanitizer checks for leaks at exit instead.
        if "ASAN_OPTIONS" not in os.environ:
            assert rss[-1] - rss[0] < 2048, rss

        # Nothing was stored by any of it; the server still serves everyone.
        await ann.send("join", room="lobby", history_limit=1)
        again = await ann.recv_type("joined")
        assert again["head_seq"] == head, (head, again["head_seq"])
        status, body = rest(server.port, "GET", "/health", None, None)
        assert status == 200 and body["status"] == "ok", body
        await ann.close()
        await bob.close()
    finally:
        await server.stop()


if __name__ == "__main__":
    run_main([test_every_hostile_input_gets_its_documented_answer], "bad-input catalogue")
