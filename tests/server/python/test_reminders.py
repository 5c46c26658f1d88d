#!/usr/bin/python3
"""Interactive components from a second implementation: the built-in assistant's
reminder flow. A request missing its time gets a form (typed fields, required or not,
pre-filled with what was understood); the form's answer sets the reminder, or brings the
form back saying what was wrong; a set reminder carries a button that cancels it; a
reminder is announced in its room when due, also when the server was restarted between.

Usage: test_reminders.py PATH/TO/parley-server
"""

import asyncio
import json
import sys
import traceback

from parley_harness import DEADLINE, Client, Server, run_main


async def reply_to(client):
    """The next assistant reply's completion, with the reply's stored row (data included)."""
    started = await client.recv_type("stream_started")
    done = await client.recv_until(lambda f: f["type"] == "stream_completed" and f["gen_id"] == started["gen_id"])
    await client.send("fetch_history", room="lobby", before_seq=0, limit=50)
    page = await client.recv_type("history_page")
    row = next(m for m in page["messages"] if m["seq"] == started["seq"])
    return done, row


async def test_a_form_asks_for_what_is_missing_and_its_answer_sets_the_reminder(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.join("lobby")
        await ann.send("send", room="lobby", client_id="r-1", text="Remind us to stretch")
        done, row = await reply_to(ann)
        component = row["data"]["component"]
        assert component["type"] == "form" and component["id"] == "reminder", component
        fields = {f["name"]: f for f in component["fields"]}
        assert fields["text"]["value"] == "stretch" and fields["text"]["required"], fields
        assert fields["when"]["value"] == "" and fields["when"]["required"], fields
        assert fields["note"]["required"] is False, fields
        assert "form below" in done["text"], done["text"]

        # A time that cannot be read: the form comes back, saying so.
        await ann.send("component_submit", room="lobby", seq=row["seq"], action="submit",
                       values={"text": "stretch", "when": "someday"})
        answer = (await ann.recv_type("message"))["message"]
        assert answer["author"] == "ann" and answer["data"]["submit"]["seq"] == row["seq"], answer
        done, again = await reply_to(ann)
        assert "could not read the time" in again["data"]["component"]["error"], again

        await ann.send("component_submit", room="lobby", seq=again["seq"], action="submit",
                       values={"text": "stretch", "when": "in 2 seconds"})
        done, confirmed = await reply_to(ann)
        assert "I will remind #lobby" in done["text"], done["text"]
        buttons = confirmed["data"]["component"]
        assert buttons["type"] == "buttons" and buttons["buttons"][0]["id"] == "cancel", buttons
        # When due, the assistant says it in the room.
        reminder = await ann.recv_until(lambda f: f["type"] == "message" and
                                        f["message"]["text"].startswith("\u23f0 Reminder"))
        assert "stretch" in reminder["message"]["text"], reminder
        assert reminder["message"]["author"] == "Parley", reminder
        await ann.close()
    finally:
        await server.stop()


async def test_the_cancel_button_cancels_and_answers_are_checked(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        await ann.join("lobby")
        await ann.send("send", room="lobby", client_id="r-1", text="remind me to water the plants in 1 hour")
        done, row = await reply_to(ann)
        assert row["data"]["component"]["type"] == "buttons", row
        assert "water the plants" in done["text"], done["text"]
        await ann.send("component_submit", room="lobby", seq=row["seq"], action="cancel", values={})
        pressed = (await ann.recv_type("message"))["message"]
        assert pressed["text"] == 'pressed "Cancel reminder"', pressed
        done, _ = await reply_to(ann)
        assert done["text"] == 'Cancelled the reminder "water the plants".', done["text"]
        await ann.send("component_submit", room="lobby", seq=row["seq"], action="cancel", values={})
        done, _ = await reply_to(ann)
        assert "already announced or cancelled" in done["text"], done["text"]

        # Not a component, or not in the room: refused with a code.
        await ann.send("component_submit", room="lobby", seq=1, action="submit", values={})
        err = await ann.recv_until(lambda f: f["type"] == "error")
        assert err["code"] == "invalid_target", err
        await ann.send("component_submit", room="lobby", seq=row["seq"], action="submit",
                       values={"text": 5})
        err = await ann.recv_until(lambda f: f["type"] == "error")
        assert err["code"] == "bad_field", err
        await ann.send("component_submit", room="elsewhere", seq=row["seq"], action="submit", values={})
        err = await ann.recv_until(lambda f: f["type"] == "error")
        assert err["code"] == "not_joined", err
        await ann.close()
    finally:
        await server.stop()


async def test_a_reminder_survives_a_restart(binary):
    server = Server(binary)
    await server.start()
    try:
        ann = await Client.connect(server.port, "ann")
        joined = await ann.join("lobby")
        await ann.send("send", room="lobby", client_id="r-1", text="remind us to lock up in 3 seconds")
        done, row = await reply_to(ann)
        assert row["data"]["component"]["type"] == "buttons", row
        await ann.close()
        await server.stop(keep=True)  # before it is due

        await server.start()
        bob = await Client.connect(server.port, "bob")
        await bob.join("lobby")
        # Due while the server was down, or soon after it came back: announced either way.
        seen = [m for m in bob.seen if m["type"] == "joined"][0]["history"]
        announced = [m for m in seen if m["text"].startswith("\u23f0 Reminder")]
        if not announced:
            frame = await bob.recv_until(lambda f: f["type"] == "message" and
                                         f["message"]["text"].startswith("\u23f0 Reminder"))
            announced = [frame["message"]]
        assert "lock up" in announced[0]["text"], announced
        await bob.close()
    finally:
        await server.stop()


TESTS = [
    test_a_form_asks_for_what_is_missing_and_its_answer_sets_the_reminder,
    test_the_cancel_button_cancels_and_answers_are_checked,
    test_a_reminder_survives_a_restart,
]


if __name__ == "__main__":
    run_main(TESTS, "reminder")
