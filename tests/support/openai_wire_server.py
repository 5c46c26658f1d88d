#!/usr/bin/env python3
"""Local stand-in for an OpenAI-compatible provider, used by the client tests.

Usage: openai_wire_server.py [--tls CERT KEY]

Binds 127.0.0.1 on a free port, prints "PORT <n>" on stdout and serves until it is
killed or its stdin closes. POST /v1/chat/completions streams server-sent events in the
chat.completion.chunk format; what it streams depends on the last user message:

  [broken]        a couple of deltas, then "data: {not json" and the connection closes
  [cut]           a few deltas, then the connection closes (no finish_reason, no [DONE])
  [hang]          one delta, then silence with the connection held open
  [http500]       HTTP 500 with {"error":{"message":"model overloaded"}}
  [refuse]        an event carrying {"error":{"message":"content refused"}}
  calc:EXPR       a tool call to "calculator" with {"expression":"EXPR"} (EXPR = rest of
                  the line), split over several chunks, finish_reason "tool_calls"
  (last message is a tool result)  "The tool said: <content>." then stop
  anything else   "Echo: <content>" word by word, finish_reason "stop", then a usage chunk
                  (prompt_tokens = words in all messages, completion_tokens = chunks sent)

Normal answers use chunked transfer encoding; [cut] and [broken] end the body by
closing the connection. When OPENAI_WIRE_EXPECT_KEY is set, requests must carry
"Authorization: Bearer <key>" (401 otherwise). GET /requests returns every request body
received so far as a JSON array.
"""

import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECORDED = []
RECORDED_LOCK = threading.Lock()
CREATED = 1700000000


def words(text):
    return len(text.split()) if isinstance(text, str) else 0


def chunk(model, delta=None, finish_reason=None, usage=None, choices=True):
    body = {
        "id": "chatcmpl-wire",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": model,
        "choices": [],
    }
    if choices:
        body["choices"] = [{"index": 0, "delta": delta or {}, "finish_reason": finish_reason}]
    if usage is not None:
        body["usage"] = usage
    return body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "OpenAiWire/1.0"

    def log_message(self, format, *args):  # keep test output quiet
        if os.environ.get("OPENAI_WIRE_VERBOSE"):
            super().log_message(format, *args)

    # --- plumbing -----------------------------------------------------------------

    def send_json(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def start_stream(self, chunked):
        self.chunked = chunked
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.flush()

    def write_raw(self, data):
        if self.chunked:
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
        else:
            self.wfile.write(data)
        self.wfile.flush()

    def event(self, obj):
        payload = obj if isinstance(obj, str) else json.dumps(obj)
        self.write_raw(("data: " + payload + "\n\n").encode())

    def end_stream(self):
        if self.chunked:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    # --- routes -------------------------------------------------------------------

    def do_GET(self):
        if self.path == "/requests":
            with RECORDED_LOCK:
                self.send_json(200, list(RECORDED))
        else:
            self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path != "/v1/chat/completions":
            return self.send_json(404, {"error": {"message": "not found"}})
        expected = os.environ.get("OPENAI_WIRE_EXPECT_KEY")
        if expected and self.headers.get("Authorization") != "Bearer " + expected:
            return self.send_json(401, {"error": {"message": "invalid api key"}})
        try:
            body = json.loads(raw)
        except ValueError:
            return self.send_json(400, {"error": {"message": "body is not JSON"}})
        with RECORDED_LOCK:
            RECORDED.append(body)
        problem = self.check(body)
        if problem:
            return self.send_json(400, {"error": {"message": problem}})
        try:
            self.respond(body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    @staticmethod
    def check(body):
        if not isinstance(body, dict):
            return "body is not an object"
        if not isinstance(body.get("model"), str) or not body["model"]:
            return "model missing"
        if body.get("stream") is not True:
            return "stream must be true"
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return "messages missing"
        for m in messages:
            if not isinstance(m, dict) or not isinstance(m.get("role"), str):
                return "message without role"
        if "tools" in body and not isinstance(body["tools"], list):
            return "tools is not an array"
        return None

    def respond(self, body):
        model = body["model"]
        messages = body["messages"]
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        last = messages[-1]
        users = [m for m in messages if m["role"] == "user"]
        user_text = users[-1].get("content") if users else ""
        if not isinstance(user_text, str):
            user_text = ""
        prompt_tokens = sum(words(m.get("content")) for m in messages)

        if last["role"] == "tool":
            content = last.get("content") if isinstance(last.get("content"), str) else ""
            return self.stream_text(model, ["The tool said: ", content, "."], prompt_tokens, include_usage)
        if "[http500]" in user_text:
            return self.send_json(500, {"error": {"message": "model overloaded", "type": "server_error"}})
        if "[refuse]" in user_text:
            self.start_stream(chunked=True)
            self.event({"error": {"message": "content refused", "type": "invalid_request_error"}})
            return self.end_stream()
        if "[broken]" in user_text:
            self.start_stream(chunked=False)
            self.event(chunk(model, {"role": "assistant", "content": "Hello"}))
            self.event(chunk(model, {"content": " there"}))
            self.write_raw(b"data: {not json\n\n")
            return
        if "[cut]" in user_text:
            self.start_stream(chunked=False)
            for piece in ["Partial", " answer", " then"]:
                self.event(chunk(model, {"content": piece}))
            return
        if "[hang]" in user_text:
            self.start_stream(chunked=True)
            self.event(chunk(model, {"role": "assistant", "content": "Thinking"}))
            time.sleep(600)
            return
        if "calc:" in user_text:
            expr = user_text.split("calc:", 1)[1].split("\n", 1)[0].strip()
            return self.stream_tool_call(model, expr, prompt_tokens, include_usage)
        pieces = ("Echo: " + user_text).split(" ")
        pieces = [p if i == 0 else " " + p for i, p in enumerate(pieces)]
        return self.stream_text(model, pieces, prompt_tokens, include_usage)

    def stream_text(self, model, pieces, prompt_tokens, include_usage):
        self.start_stream(chunked=True)
        self.event(chunk(model, {"role": "assistant", "content": ""}))
        sent = 0
        for piece in pieces:
            self.event(chunk(model, {"content": piece}))
            sent += 1
        self.write_raw(b": keep-alive comment\n\n")
        self.event(chunk(model, {}, finish_reason="stop"))
        if include_usage:
            usage = {"prompt_tokens": prompt_tokens, "completion_tokens": sent,
                     "total_tokens": prompt_tokens + sent}
            self.event(chunk(model, usage=usage, choices=False))
        self.event("[DONE]")
        self.end_stream()

    def stream_tool_call(self, model, expr, prompt_tokens, include_usage):
        self.start_stream(chunked=True)
        arguments = json.dumps({"expression": expr})
        self.event(chunk(model, {"role": "assistant", "content": None, "tool_calls": [
            {"index": 0, "id": "call_wire_1", "type": "function",
             "function": {"name": "calculator", "arguments": ""}}]}))
        sent = 0
        for start in range(0, len(arguments), 5):
            piece = arguments[start:start + 5]
            self.event(chunk(model, {"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}))
            sent += 1
        self.event(chunk(model, {}, finish_reason="tool_calls"))
        if include_usage:
            usage = {"prompt_tokens": prompt_tokens, "completion_tokens": sent,
                     "total_tokens": prompt_tokens + sent}
            self.event(chunk(model, usage=usage, choices=False))
        self.event("[DONE]")
        self.end_stream()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    tls_context = None

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, on the connection's own thread.
        if self.tls_context is not None:
            try:
                request = self.tls_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            try:
                super().finish_request(request, client_address)
            finally:
                request.close()
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass  # clients that vanish mid-stream are expected


def main(argv):
    server = Server(("127.0.0.1", 0), Handler)
    if len(argv) >= 1 and argv[0] == "--tls":
        if len(argv) != 3:
            print("usage: openai_wire_server.py [--tls CERT KEY]", file=sys.stderr)
            return 2
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(argv[1], argv[2])
        server.tls_context = ctx

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
