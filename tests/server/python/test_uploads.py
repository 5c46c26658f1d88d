#!/usr/bin/python3
"""Uploads and documents from a second implementation: Python's websockets client.

Usage: test_uploads.py PATH/TO/parley-server

Chunked uploads (init, base64 chunks, finish with SHA-256), resuming after a dropped
connection, every refusal with its code, documents split into passages that the
assistant quotes as sources, and virus scanning through a ClamAV daemon this test starts
with a signature database it makes itself. Every wait has a deadline; nothing sleeps.
"""

import asyncio
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path

from parley_harness import DEADLINE, Client, Server, run_main

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLAMD = "/usr/sbin/clamd"


def chunks_of(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)]


async def upload(client, room, upload_id, name, data, media_type="text/plain"):
    """A whole upload; returns the upload_done frame."""
    await client.send("upload_init", room=room, upload_id=upload_id, file_name=name,
                      file_size=len(data), media_type=media_type)
    ready = await client.recv_type("upload_ready")
    assert ready["next_chunk"] == 0, ready
    parts = chunks_of(data, ready["chunk_bytes"])
    assert ready["total_chunks"] == len(parts), (ready, len(parts))
    for i, part in enumerate(parts):
        await client.send("upload_chunk", upload_id=upload_id, index=i,
                          data=base64.b64encode(part).decode())
    progress = await client.recv_until(
        lambda f: f["type"] == "upload_progress" and f["next_chunk"] == len(parts))
    assert progress["received_bytes"] == len(data), progress
    await client.send("upload_finish", upload_id=upload_id,
                      sha256=hashlib.sha256(data).hexdigest())
    return await client.recv_type("upload_done")


HANDBOOK = "\n\n".join(
    [f"## Section {i}\n\nRoutine notes about item {i}: nothing to see in paragraph {i}, "
     "only filler text that keeps the document long enough for several passages." for i in range(40)]
    + ["## Launch\n\nThe Zephyr project launches on 14 March from hangar nine, "
       "with Dana Okafor leading the crew."]
    + [f"## Appendix {i}\n\nMore filler about appendix {i}." for i in range(10)]).encode()


async def test_a_document_is_split_indexed_and_quoted_as_a_source(binary):
    server = Server(binary, "--max-message-bytes", "4096")  # small chunks: many of them
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        bob = await Client.connect(server.port, "bob")
        await ann.join("lobby")
        await bob.join("lobby")
        done = await upload(ann, "lobby", "up-1", "handbook.md", HANDBOOK, "text/markdown")
        doc = done["document"]
        assert doc["name"] == "handbook.md" and doc["kind"] == "markdown", doc
        assert doc["sha256"] == hashlib.sha256(HANDBOOK).hexdigest(), doc
        assert doc["size"] == len(HANDBOOK) and doc["uploader"] == "ann", doc
        # Everyone in the room hears of it: processing, then ready with its passages.
        states = []
        while True:
            update = (await bob.recv_type("document"))["document"]
            assert update["id"] == doc["id"], update
            states.append((update["state"], update["progress"]))
            if update["state"] != "processing":
                break
        assert states[0] == ("processing", 0), states
        assert states[-1][0] == "ready" and states[-1][1] == 100, states
        assert update["passages"] >= 3, update
        stored = server.dir / "files" / doc["sha256"][:2] / doc["sha256"]
        assert stored.read_bytes() == HANDBOOK, "kept under its content hash"

        await bob.send("list_documents", room="lobby")
        listed = await bob.recv_type("documents")
        assert [d["name"] for d in listed["documents"]] == ["handbook.md"], listed

        await bob.send("send", room="lobby", client_id="q-1", text="When does the Zephyr project launch?")
        steps = []
        while True:
            frame = await bob.recv()
            if frame["type"] == "message" and frame["message"]["kind"] == "step":
                steps.append(frame["message"])
            if frame["type"] == "stream_completed":
                break
        sources = [s for s in steps if s["data"].get("step") == "sources"]
        assert sources, steps
        top = sources[0]["data"]["sources"][0]
        assert top["document"] == "handbook.md", top
        assert "hangar nine" in top["passage"], top
        assert re.fullmatch(r"lines \d+–\d+", top["location"]), top
        assert top["score"] > 0, top
        assert "hangar nine" in frame["text"], frame["text"]
        await ann.close()
        await bob.close()
    finally:
        await server.stop()


async def test_an_upload_resumes_after_the_connection_drops(binary):
    server = Server(binary, "--max-message-bytes", "2048")
    await server.start()
    try:
        data = "".join(f"line {i}: the quick brown fox\n" for i in range(400)).encode()
        ann = await Client.connect(server.port, "ann")
        await ann.join("lobby")
        await ann.send("upload_init", room="lobby", upload_id="up-r", file_name="fox.txt",
                       file_size=len(data), media_type="text/plain")
        ready = await ann.recv_type("upload_ready")
        parts = chunks_of(data, ready["chunk_bytes"])
        assert len(parts) >= 6, len(parts)
        for i in range(3):
            await ann.send("upload_chunk", upload_id="up-r", index=i,
                           data=base64.b64encode(parts[i]).decode())
        await ann.recv_until(lambda f: f["type"] == "upload_progress" and f["next_chunk"] == 3)
        await ann.close()

        again = await Client.connect(server.port, "ann")
        await again.join("lobby")
        await again.send("upload_init", room="lobby", upload_id="up-r", file_name="fox.txt",
                         file_size=len(data), media_type="text/plain")
        resumed = await again.recv_type("upload_ready")
        assert resumed["next_chunk"] == 3, resumed
        # A chunk already stored may come again (it changes nothing); then the rest.
        for i in range(2, len(parts)):
            await again.send("upload_chunk", upload_id="up-r", index=i,
                             data=base64.b64encode(parts[i]).decode())
        await again.recv_until(lambda f: f["type"] == "upload_progress" and f["next_chunk"] == len(parts))
        await again.send("upload_finish", upload_id="up-r", sha256=hashlib.sha256(data).hexdigest())
        done = await again.recv_type("upload_done")
        stored = server.dir / "files" / done["document"]["sha256"][:2] / done["document"]["sha256"]
        assert stored.read_bytes() == data
        await again.close()
    finally:
        await server.stop()


async def test_every_refusal_has_its_code_and_changes_nothing(binary):
    server = Server(binary, "--max-upload-bytes", "100000", "--max-message-bytes", "4096")
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.send("upload_init", room="lobby", upload_id="u0", file_name="a.txt",
                       file_size=10, media_type="text/plain")
        await ann.expect_error("not_joined")
        await ann.join("lobby")

        def init(upload_id, name, size=10, media_type="text/plain"):
            return ann.send("upload_init", room="lobby", upload_id=upload_id, file_name=name,
                            file_size=size, media_type=media_type)

        await init("u1", "big.txt", 100001)
        await ann.expect_error("file_too_large")
        await init("u2", "tool.exe", 10, "application/octet-stream")
        await ann.expect_error("unsupported_type")
        for i, name in enumerate(["../../etc/passwd", "a/b.txt", "a\\b.txt", ".hidden.txt",
                                  "..", "C:evil.txt", "tab\there.txt", " x.txt", ""]):
            await init(f"u3-{i}", name)
            await ann.expect_error("invalid_file_name")
        await init("u4", "empty.txt", 0)
        await ann.expect_error("bad_field")

        data = ("x" * 7000).encode()
        await init("u5", "x.txt", len(data))
        ready = await ann.recv_type("upload_ready")
        parts = chunks_of(data, ready["chunk_bytes"])
        assert len(parts) == 3, (ready, len(parts))
        await ann.send("upload_chunk", upload_id="u5", index=1, data=base64.b64encode(parts[1]).decode())
        err = await ann.expect_error("out_of_order")
        assert "chunk 0" in err["message"], err
        await ann.send("upload_chunk", upload_id="u5", index=0, data="not base64!")
        await ann.expect_error("bad_field")
        await ann.send("upload_chunk", upload_id="u5", index=0, data=base64.b64encode(b"short").decode())
        await ann.expect_error("bad_field")
        await ann.send("upload_chunk", upload_id="u5", index=7, data=base64.b64encode(parts[0]).decode())
        await ann.expect_error("bad_field")
        await ann.send("upload_chunk", upload_id="u5", index=0, data=base64.b64encode(parts[0]).decode())
        await ann.recv_until(lambda f: f["type"] == "upload_progress" and f["next_chunk"] == 1)
        await ann.send("upload_finish", upload_id="u5", sha256=hashlib.sha256(data).hexdigest())
        err = await ann.expect_error("bad_field")
        assert "chunk 1" in err["message"], err
        for i in (1, 2):
            await ann.send("upload_chunk", upload_id="u5", index=i, data=base64.b64encode(parts[i]).decode())
        await ann.recv_until(lambda f: f["type"] == "upload_progress" and f["next_chunk"] == 3)
        await ann.send("upload_finish", upload_id="u5", sha256="00" * 32)
        err = await ann.expect_error("checksum_mismatch")
        assert hashlib.sha256(data).hexdigest() in err["message"], err
        # Nothing was kept; the upload is gone.
        await ann.send("upload_chunk", upload_id="u5", index=0, data=base64.b64encode(parts[0]).decode())
        await ann.expect_error("not_found")
        assert not any((server.dir / "files").glob("??/*")), "no file kept"
        assert not any((server.dir / "files" / "incoming").iterdir()), "no part file left"
        await ann.send("upload_init", room="lobby", upload_id="bad id!", file_name="a.txt",
                       file_size=10, media_type="text/plain")
        await ann.expect_error("bad_field")
        await ann.still_serves()
        await ann.send("list_documents", room="lobby")
        assert (await ann.recv_type("documents"))["documents"] == []
        await ann.close()
    finally:
        await server.stop()


async def test_a_document_that_cannot_be_read_fails_visibly(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.join("lobby")
        data = b"caf\xe9 au lait\n"  # Latin-1, not UTF-8
        done = await upload(ann, "lobby", "bad-1", "menu.txt", data)
        while True:
            update = (await ann.recv_type("document"))["document"]
            if update["id"] == done["document"]["id"] and update["state"] != "processing":
                break
        assert update["state"] == "failed", update
        assert update["error"].startswith("bad_document"), update
        await ann.close()
    finally:
        await server.stop()


async def test_deleting_a_document(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        bob = await Client.connect(server.port, "bob")
        await ann.join("lobby")
        await bob.join("lobby")
        done = await upload(ann, "lobby", "d-1", "notes.md", b"# Notes\n\nThe key is under the mat.\n",
                            "text/markdown")
        doc = done["document"]
        await bob.send("delete_document", room="lobby", document_id=doc["id"])
        await bob.expect_error("forbidden")
        await ann.send("delete_document", room="lobby", document_id=doc["id"])
        gone = await bob.recv_type("document_deleted")
        assert gone == {"v": 1, "type": "document_deleted", "room": "lobby", "document_id": doc["id"]}, gone
        await ann.send("delete_document", room="lobby", document_id=doc["id"])
        await ann.expect_error("not_found")
        await ann.close()
        await bob.close()
    finally:
        await server.stop()


def make_pdf(pages):
    """A minimal PDF 1.4, one page per text (Helvetica), with a correct xref table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages)))
               + b"] /Count %d >>" % len(pages),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, text in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        escaped = text.encode().replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        content = b"BT /F1 12 Tf 72 720 Td (" + escaped + b") Tj ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    pdf = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % (i + 1) + obj + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return pdf


async def test_a_pdf_is_read_page_by_page(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.join("lobby")
        pdf = make_pdf(["Quarterly report: revenue grew in every region.",
                        "The warehouse in Tromso closes on Fridays at noon."])
        done = await upload(ann, "lobby", "pdf-1", "report.pdf", pdf, "application/pdf")
        assert done["document"]["kind"] == "pdf", done
        while True:
            update = (await ann.recv_type("document"))["document"]
            if update["state"] != "processing":
                break
        assert update["state"] == "ready" and update["passages"] == 2, update
        await ann.send("send", room="lobby", client_id="q-1", text="When does the Tromso warehouse close?")
        sources = None
        while True:
            frame = await ann.recv()
            if frame["type"] == "message" and frame["message"].get("data", {}).get("step") == "sources":
                sources = frame["message"]["data"]["sources"]
            if frame["type"] == "stream_completed":
                break
        assert sources and sources[0]["document"] == "report.pdf", sources
        assert sources[0]["location"] == "page 2", sources
        assert "Fridays at noon" in frame["text"], frame["text"]
        await ann.close()
    finally:
        await server.stop()


class Clamd:
    """A ClamAV daemon of this test's own, with a signature database made here."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="parley-clamd-"))
        self.socket = self.dir / "clamd.sock"
        self.proc = None

    async def start(self):
        assert Path(CLAMD).exists(), f"{CLAMD} is missing: run scripts/setup.sh (clamav-daemon)"
        db = self.dir / "db"
        db.mkdir()
        (db / "parley.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Parley.Test.EICAR\n")
        config = self.dir / "clamd.conf"
        config.write_text("\n".join([
            "Foreground yes", f"LocalSocket {self.socket}", f"DatabaseDirectory {db}",
            f"LogFile {self.dir / 'clamd.log'}", f"PidFile {self.dir / 'clamd.pid'}",
            f"TemporaryDirectory {self.dir}", "StreamMaxLength 60M", ""]))
        self.proc = await asyncio.create_subprocess_exec(
            CLAMD, f"--config-file={config}", stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while True:  # until it answers PING
            assert self.proc.returncode is None, "clamd exited: " + self.log()
            try:
                reader, writer = await asyncio.open_unix_connection(str(self.socket))
                writer.write(b"zPING\0")
                await writer.drain()
                answer = await asyncio.wait_for(reader.read(16), 5)
                writer.close()
                if answer.startswith(b"PONG"):
                    return
            except (FileNotFoundError, ConnectionRefusedError, asyncio.TimeoutError):
                pass
            assert loop.time() < deadline, "clamd did not answer within 60 s: " + self.log()
            await asyncio.sleep(0.05)  # a retry interval while the daemon loads

    def log(self):
        path = self.dir / "clamd.log"
        return path.read_text() if path.exists() else "(no log)"

    async def stop(self):
        if self.proc and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.proc.wait(), DEADLINE)
        shutil.rmtree(self.dir, ignore_errors=True)


async def test_the_virus_scanner_refuses_eicar(binary):
    clamd = Clamd()
    await clamd.start()
    server = Server(binary, "--clamd-socket", str(clamd.socket))
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.join("lobby")
        await ann.send("upload_init", room="lobby", upload_id="v-1", file_name="eicar.txt",
                       file_size=len(EICAR), media_type="text/plain")
        await ann.recv_type("upload_ready")
        await ann.send("upload_chunk", upload_id="v-1", index=0, data=base64.b64encode(EICAR).decode())
        await ann.recv_type("upload_progress")
        await ann.send("upload_finish", upload_id="v-1", sha256=hashlib.sha256(EICAR).hexdigest())
        err = await ann.expect_error("infected")
        assert "Parley.Test.EICAR" in err["message"], err
        assert not any((server.dir / "files").glob("??/*")), "an infected file is not kept"
        # A clean file goes through the same scanner.
        done = await upload(ann, "lobby", "v-2", "clean.txt", b"nothing to see here\n")
        assert done["document"]["name"] == "clean.txt"
        await ann.close()
    finally:
        await server.stop()
        await clamd.stop()


async def test_a_scanner_that_is_not_there_refuses_rather_than_lets_through(binary):
    server = Server(binary, "--clamd-socket", "/nonexistent/clamd.sock")
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.join("lobby")
        await ann.send("upload_init", room="lobby", upload_id="s-1", file_name="a.txt",
                       file_size=3, media_type="text/plain")
        await ann.recv_type("upload_ready")
        await ann.send("upload_chunk", upload_id="s-1", index=0, data=base64.b64encode(b"abc").decode())
        await ann.recv_type("upload_progress")
        await ann.send("upload_finish", upload_id="s-1", sha256=hashlib.sha256(b"abc").hexdigest())
        await ann.expect_error("scan_failed")
        await ann.close()
    finally:
        await server.stop()


TESTS = [
    test_a_document_is_split_indexed_and_quoted_as_a_source,
    test_an_upload_resumes_after_the_connection_drops,
    test_every_refusal_has_its_code_and_changes_nothing,
    test_a_document_that_cannot_be_read_fails_visibly,
    test_a_pdf_is_read_page_by_page,
    test_deleting_a_document,
    test_the_virus_scanner_refuses_eicar,
    test_a_scanner_that_is_not_there_refuses_rather_than_lets_through,
]


if __name__ == "__main__":
    run_main(TESTS, "upload")
