"""Remo through nginx: a long conversation covering every intent, checked
against DynamoDB after each message; time phrases and ambiguous ones; bad input.

The chat clock is pinned (REMO_FIXED_NOW, local mode only) to Wednesday
18 November 2026, 11:00 in Asia/Kolkata; the user speaks in that zone."""
from datetime import datetime, timezone

import pytest
import requests

from remo_helpers import FIXED_EPOCH, KOLKATA, RemoStack, assert_error, new_user


@pytest.fixture(scope="module")
def remo():
    stack = RemoStack()
    yield stack
    stack.close()


def utc(text):
    """ISO 8601 with offset → the `...Z` form stored in reminding_time."""
    return datetime.fromisoformat(text).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Conversation:
    """Says messages as one user and keeps the model of what must be stored."""

    def __init__(self, remo, user):
        self.remo = remo
        self.user = user
        self.reminders = {}   # id -> {title, reminding_time, status}
        self.todos = {}       # id -> {title, priority, status, description?}
        self.said = []        # (role, content) in order

    def say(self, message, intent, action_types=()):
        response = self.remo.chat(self.user, message)
        assert response.status_code == 200, (message, response.status_code, response.text)
        body = response.json()
        assert body["intent"] == intent, (message, body)
        assert [a["type"] for a in body["actions"]] == list(action_types), (message, body)
        self.said += [("user", message), ("assistant", body["reply"])]
        return body

    def check(self):
        """DynamoDB holds exactly the model: no more items, no fewer, same values."""
        stored = self.remo.reminders_of(self.user)
        assert set(stored) == set(self.reminders), (stored.keys(), self.reminders.keys())
        for rid, expected in self.reminders.items():
            item = stored[rid]
            assert item["user_id"] == self.user
            for field, value in expected.items():
                assert item[field] == value, (rid, field, item[field], value)
            assert item["timezone"] == KOLKATA
            assert int(item["reminding_time_epoch"]) == int(
                datetime.fromisoformat(item["reminding_time"].replace("Z", "+00:00")).timestamp())
            assert int(item["ttl"]) == FIXED_EPOCH + 365 * 86400
        stored = self.remo.todos_of(self.user)
        assert set(stored) == set(self.todos), (stored.keys(), self.todos.keys())
        for tid, expected in self.todos.items():
            for field, value in expected.items():
                assert stored[tid][field] == value, (tid, field, stored[tid][field], value)
            assert int(stored[tid]["ttl"]) == FIXED_EPOCH + 365 * 86400
        messages = self.remo.messages_of(self.user)
        assert [(m["role"], m["content"]) for m in messages] == self.said
        assert all(int(m["ttl"]) == FIXED_EPOCH + 30 * 86400 for m in messages)

    def created_reminder(self, body, title, when):
        (action,) = body["actions"]
        assert action["title"] == title and action["reminding_time"] == utc(when) and action["timezone"] == KOLKATA
        self.reminders[action["id"]] = {"title": title, "reminding_time": utc(when), "status": "pending"}
        return action["id"]

    def created_todo(self, body, title, priority, description=None):
        (action,) = body["actions"]
        assert action["title"] == title and action["priority"] == priority
        self.todos[action["id"]] = {"title": title, "priority": priority, "status": "pending"}
        if description:
            self.todos[action["id"]]["description"] = description
        return action["id"]


def test_conversation_covers_every_intent_and_stores_exactly_what_it_says(remo):
    c = Conversation(remo, new_user("talk"))

    body = c.say("hi", "small_talk")
    c.check()

    body = c.say("set my timezone to Asia/Kolkata", "update_profile", ["profile_updated"])
    assert body["actions"][0]["fields"] == {"timezone": KOLKATA}
    assert remo.profile_of(c.user)["preferences"]["timezone"] == KOLKATA
    c.check()

    body = c.say("my email is Ada@Example.COM", "update_profile", ["profile_updated"])
    assert remo.profile_of(c.user)["email"] == "Ada@example.com"
    c.check()

    c.say("my name is Ada Lovelace", "update_profile", ["profile_updated"])
    profile = remo.profile_of(c.user)
    assert (profile["first_name"], profile["last_name"]) == ("Ada", "Lovelace")
    c.check()

    body = c.say("what's my profile?", "show_profile")
    assert "Ada@example.com" in body["reply"] and KOLKATA in body["reply"]
    c.check()

    body = c.say("remind me tomorrow at 10am to call Sam", "set_reminder", ["reminder_created"])
    sam = c.created_reminder(body, "call Sam", "2026-11-19T10:00:00+05:30")
    assert "call Sam" in body["reply"] and "Thursday 19 November 2026 at 10:00 (Asia/Kolkata)" in body["reply"]
    c.check()

    body = c.say("remind me in 2 hours to stretch", "set_reminder", ["reminder_created"])
    stretch = c.created_reminder(body, "stretch", "2026-11-18T13:00:00+05:30")
    assert "Wednesday 18 November 2026 at 13:00" in body["reply"]
    c.check()

    body = c.say("remind me next Monday at 9 to submit the report", "set_reminder", ["reminder_created"])
    c.created_reminder(body, "submit the report", "2026-11-23T09:00:00+05:30")
    assert "Monday 23 November 2026 at 09:00" in body["reply"]
    c.check()

    body = c.say("remind me to water the plants", "clarify")
    assert "water the plants" in body["reply"] and body["reply"].rstrip().endswith("?")
    c.check()  # a question stores nothing

    body = c.say("tonight", "set_reminder", ["reminder_created"])
    plants = c.created_reminder(body, "water the plants", "2026-11-18T20:00:00+05:30")
    assert "Wednesday 18 November 2026 at 20:00" in body["reply"]
    c.check()

    body = c.say("show my reminders", "list_reminders")
    assert [item["id"] for item in body["items"]] == [stretch, plants, sam, *[
        rid for rid in c.reminders if rid not in (stretch, plants, sam)]]
    assert body["reply"].startswith("You have 4 upcoming reminders")
    c.check()

    body = c.say("mark the reminder to call Sam as done", "complete_reminder", ["reminder_completed"])
    assert body["actions"][0]["id"] == sam
    c.reminders[sam]["status"] = "done"
    c.check()

    body = c.say("cancel the reminder about stretch", "cancel_reminder", ["reminder_cancelled"])
    assert body["actions"][0]["id"] == stretch
    c.reminders[stretch]["status"] = "cancelled"
    c.check()

    body = c.say("add a high-priority todo: finish the report, description: Q3 numbers", "add_todo", ["todo_created"])
    report = c.created_todo(body, "finish the report", "high", "Q3 numbers")
    assert "finish the report" in body["reply"] and "high-priority" in body["reply"]
    c.check()

    body = c.say("add buy milk to my todo list", "add_todo", ["todo_created"])
    milk = c.created_todo(body, "buy milk", "medium")
    c.check()

    body = c.say("urgent todo renew passport", "add_todo", ["todo_created"])
    passport = c.created_todo(body, "renew passport", "urgent")
    c.check()

    body = c.say("show high priority todos", "list_todos")
    assert [item["id"] for item in body["items"]] == [report]
    c.check()

    body = c.say("mark buy milk as done", "complete_todo", ["todo_completed"])
    assert body["actions"][0]["id"] == milk
    c.todos[milk]["status"] = "done"
    c.check()

    body = c.say("delete the todo about passport", "delete_todo", ["todo_deleted"])
    assert body["actions"][0]["id"] == passport
    del c.todos[passport]
    c.check()

    body = c.say("show my todos", "list_todos")
    assert [item["id"] for item in body["items"]] == [report]
    c.check()

    body = c.say("list all my reminders", "list_reminders")
    assert {item["id"]: item["status"] for item in body["items"]} == {
        rid: model["status"] for rid, model in c.reminders.items()}
    c.check()

    body = c.say("remind me next week to call mom", "clarify")
    c.check()

    c.say("thanks", "small_talk")
    c.check()
    assert len(c.said) >= 30  # 15+ exchanges, every one in the memory

    # The user-data endpoint shows the same state, messages newest last.
    data = remo.call("GET", f"/user/{c.user}/data", c.user).json()
    assert {r["reminder_id"] for r in data["reminders"]} == set(c.reminders)
    assert {t["todo_id"] for t in data["todos"]} == set(c.todos)
    assert [(m["role"], m["content"]) for m in data["conversations"]] == c.said[-50:]
    assert data["profile"]["preferences"]["timezone"] == KOLKATA


# "remind me <phrase> to <title>" through /chat, read in Asia/Kolkata.
PHRASES = [
    ("tomorrow at 10am", "2026-11-19T10:00:00+05:30"),
    ("tomorrow at 10", "2026-11-19T10:00:00+05:30"),
    ("today at 5pm", "2026-11-18T17:00:00+05:30"),
    ("tonight", "2026-11-18T20:00:00+05:30"),
    ("this evening", "2026-11-18T18:00:00+05:30"),
    ("tomorrow morning", "2026-11-19T09:00:00+05:30"),
    ("in 2 hours", "2026-11-18T13:00:00+05:30"),
    ("in 30 minutes", "2026-11-18T11:30:00+05:30"),
    ("in 3 days", "2026-11-21T11:00:00+05:30"),
    ("next Monday at 9", "2026-11-23T09:00:00+05:30"),
    ("on Monday", "2026-11-23T09:00:00+05:30"),
    ("on 3 March at 14:30", "2027-03-03T14:30:00+05:30"),
    ("March 3rd at 2:30pm", "2027-03-03T14:30:00+05:30"),
    ("at noon", "2026-11-18T12:00:00+05:30"),
    ("at midnight", "2026-11-19T00:00:00+05:30"),
    ("at 7:45", "2026-11-18T19:45:00+05:30"),
    ("in an hour", "2026-11-18T12:00:00+05:30"),
    ("at 9am", "2026-11-19T09:00:00+05:30"),
    ("tomorrow at 3", "2026-11-19T15:00:00+05:30"),
    ("tonight at 9", "2026-11-18T21:00:00+05:30"),
    ("the day after tomorrow at 8:15 a.m.", "2026-11-20T08:15:00+05:30"),
    ("on 25/12 at 18:00", "2026-12-25T18:00:00+05:30"),
    ("in half an hour", "2026-11-18T11:30:00+05:30"),
    ("in an hour and a half", "2026-11-18T12:30:00+05:30"),
    ("this Friday at 5pm", "2026-11-20T17:00:00+05:30"),
    ("on 2027-01-15 at 08:00", "2027-01-15T08:00:00+05:30"),
    ("in 2 weeks at 10am", "2026-12-02T10:00:00+05:30"),
    ("on the 15th", "2026-12-15T09:00:00+05:30"),
    ("tomorrow at midnight", "2026-11-20T00:00:00+05:30"),
    ("at 3pm on 1st December", "2026-12-01T15:00:00+05:30"),
]

AMBIGUOUS = [
    "next week", "this weekend", "later", "soon", "at 25:00", "on 31 February", "next blursday",
    "every Monday", "on 3/4", "next Friday",
]


def kolkata_user(remo, label):
    user = new_user(label)
    response = remo.call("POST", f"/user/{user}/preferences", user, json={"timezone": KOLKATA})
    assert response.status_code == 200, response.text
    return user


def test_thirty_time_phrases_land_at_their_instants(remo):
    assert len(PHRASES) >= 30
    user = kolkata_user(remo, "phrases")
    expected = {}
    for number, (phrase, when) in enumerate(PHRASES, 1):
        title = f"check phrase {number}"
        response = remo.chat(user, f"remind me {phrase} to {title}")
        body = response.json()
        assert response.status_code == 200 and body["intent"] == "set_reminder", (phrase, body)
        (action,) = body["actions"]
        assert (action["title"], action["reminding_time"]) == (title, utc(when)), phrase
        expected[action["id"]] = (title, utc(when))
    stored = remo.reminders_of(user)
    assert {rid: (item["title"], item["reminding_time"]) for rid, item in stored.items()} == expected


def test_ambiguous_phrases_get_a_question_and_store_nothing(remo):
    user = kolkata_user(remo, "ambiguous")
    for phrase in AMBIGUOUS:
        response = remo.chat(user, f"remind me {phrase} to pay rent")
        body = response.json()
        assert response.status_code == 200, (phrase, body)
        assert body["intent"] == "clarify" and body["actions"] == [], (phrase, body)
        assert "?" in body["reply"], (phrase, body["reply"])
        # A fresh message each time, not an answer to the previous question.
        remo.chat(user, "thanks")
    assert remo.reminders_of(user) == {}
    assert remo.todos_of(user) == {}


def test_bad_input_gets_a_clear_4xx_and_changes_nothing(remo):
    user = new_user("bad")
    headers = remo.headers(user)
    url = remo.url

    def post_chat(headers=headers, **kwargs):
        return requests.post(url + "/chat", headers=headers, timeout=15, **kwargs)

    assert_error(post_chat(json={"user_id": user}), {400})                         # no message
    assert_error(post_chat(json={"message": "hi"}), {400})                          # no user_id
    assert_error(post_chat(json={"message": 42, "user_id": user}), {400})           # wrong type
    assert_error(post_chat(json={"message": "", "user_id": user}), {400})           # empty
    assert_error(post_chat(json={"message": "x" * 100_000, "user_id": user}), {413, 422})
    assert_error(post_chat(json={"message": "hi", "user_id": user, "conversation_history": "no"}), {400})
    assert_error(post_chat(json={"message": "hi", "user_id": user, "conversation_history": [{"role": 1}]}), {400})
    assert_error(post_chat(data="{not json", headers={**headers, "Content-Type": "application/json"}), {400})
    assert_error(post_chat(data="message=hi", headers={**headers, "Content-Type": "text/plain"}), {415})
    assert_error(requests.get(url + "/chat", headers=headers, timeout=15), {405})

    base = f"/user/{user}"
    assert_error(remo.call("POST", base + "/todos", user, json={"title": "x", "priority": "huge"}), {422})
    assert_error(remo.call("POST", base + "/todos", user, json={"priority": "high"}), {400})
    assert_error(remo.call("POST", base + "/todos", user, json={"title": ["x"]}), {400})
    assert_error(remo.call("GET", base + "/todos?status=sleeping", user), {422})
    assert_error(remo.call("GET", base + "/todos?priority=extreme", user), {422})
    assert_error(remo.call("GET", base + "/reminders?status=later", user), {422})
    assert_error(remo.call("POST", base + "/reminders", user, json={"title": "x"}), {400})
    assert_error(remo.call("POST", base + "/reminders", user, json={"title": "x", "reminding_time": "tomorrow"}), {422})
    assert_error(remo.call("POST", base + "/reminders", user, json={"title": "x", "when": "next week"}), {422})
    assert_error(remo.call("PATCH", base + "/todos/todo_20261118_053000_0000000000000000", user,
                           json={"status": "done"}), {404})
    assert_error(remo.call("DELETE", base + "/reminders/rem_20261118_053000_0000000000000000", user), {404})
    assert_error(remo.call("GET", base + "/reminders/rem_unknown", user), {404})
    assert_error(remo.call("GET", base + "/reminders/bad%20id%3Cx%3E", user), {400, 404})
    created = remo.call("POST", base + "/todos", user, json={"title": "real one", "priority": "low"})
    assert created.status_code == 201, created.text
    todo_id = created.json()["todo"]["todo_id"]
    assert_error(remo.call("PATCH", f"{base}/todos/{todo_id}", user, json={"status": "weird"}), {422})
    assert_error(remo.call("PATCH", f"{base}/todos/{todo_id}", user, json={"priority": "top"}), {422})
    assert_error(remo.call("PATCH", f"{base}/todos/{todo_id}", user, json={}), {400})
    assert_error(remo.call("PATCH", f"{base}/todos/{todo_id}", user, json={"status": 3}), {400})
    assert_error(remo.call("POST", base + "/preferences", user, json={"timezone": "Mars/Olympus_Mons"}), {422})
    assert_error(remo.call("POST", base + "/preferences", user, json={"timezone": 5}), {422})
    assert_error(remo.call("POST", base + "/preferences", user, json=["not", "an", "object"]), {400})
    assert_error(remo.call("DELETE", base + "/data", user), {400})
    assert_error(remo.call("DELETE", base + "/data?data_type=everything", user), {422})
    assert_error(remo.call("PUT", base + "/reminders", user, json={}), {405})
    # Nothing changed: the one todo created on purpose, untouched; no preferences stored.
    todos = remo.todos_of(user)
    assert list(todos) == [todo_id] and todos[todo_id]["status"] == "pending" and todos[todo_id]["priority"] == "low"
    assert remo.reminders_of(user) == {}
    assert remo.profile_of(user) is None
    assert remo.messages_of(user) == []  # no refused message reached the conversation memory


def test_messages_up_to_8000_characters_are_taken_and_longer_ones_change_nothing(remo):
    user = new_user("limit")
    said = []
    # Characters, not bytes: 8,000 two-byte characters are 16,000 bytes.
    for message in ("a" * 8000, "\u00e9" * 8000):
        response = remo.chat(user, message)
        assert response.status_code == 200, (len(message), response.status_code, response.text[:300])
        said += [("user", message), ("assistant", response.json()["reply"])]
    messages = remo.messages_of(user)
    assert [(m["role"], m["content"]) for m in messages] == said
    before = (messages, remo.reminders_of(user), remo.todos_of(user), remo.profile_of(user))
    for message in ("a" * 8001, "\u00e9" * 8001, "remind me tomorrow at 10am to " + "b" * 7971):
        assert len(message) == 8001
        body = assert_error(remo.chat(user, message), {413, 422})
        assert "8000" in body["detail"], body
    assert (remo.messages_of(user), remo.reminders_of(user), remo.todos_of(user), remo.profile_of(user)) == before


def snapshot(remo, user):
    """Everything of one user in the four tables."""
    return (remo.reminders_of(user), remo.todos_of(user), remo.profile_of(user),
            [(m["timestamp"], m["role"], m["content"]) for m in remo.messages_of(user)])


def test_data_limit_takes_1_to_1000_messages_and_refuses_the_rest(remo):
    user = new_user("limit")
    ttl = FIXED_EPOCH + 30 * 86400
    with remo.conversations.batch_writer() as batch:
        for i in range(60):
            batch.put_item(Item={"user_id": user, "timestamp": f"2026-11-17T10:00:{i:02d}.000000Z",
                                 "role": "user" if i % 2 == 0 else "assistant", "content": f"message {i}", "ttl": ttl})
    everything = [f"message {i}" for i in range(60)]

    def conversations(query=""):
        response = remo.call("GET", f"/user/{user}/data{query}", user)
        assert response.status_code == 200, (query, response.text)
        return [m["content"] for m in response.json()["conversations"]]

    # The last `limit` messages, newest last; 50 when not given.
    assert conversations("?limit=1") == everything[-1:]
    assert conversations("?limit=7") == everything[-7:]
    assert conversations() == everything[-50:]
    assert conversations("?limit=1000") == everything
    before = snapshot(remo, user)
    for bad in ("0", "-1", "-50", "abc", "", "1.5", "1e3", "1001", "99999999999999999999", "%201", "0x10"):
        body = assert_error(remo.call("GET", f"/user/{user}/data?limit={bad}", user), {400})
        assert "limit" in body["detail"] and "1000" in body["detail"], (bad, body)
    assert snapshot(remo, user) == before


def test_a_bad_language_is_422_and_changes_nothing(remo):
    user = new_user("language")
    prefs = f"/user/{user}/preferences"
    stored = remo.call("POST", prefs, user, json={"language": "hi-IN", "timezone": KOLKATA, "theme": "dark"})
    assert stored.status_code == 200, stored.text
    before = snapshot(remo, user)
    assert before[2]["preferences"] == {"language": "hi-IN", "timezone": KOLKATA, "theme": "dark"}
    for bad in ("klingon!!", "", "e", "123", "en--US", "x" * 100, "en US", 5, None, ["en"], {"tag": "en"}, True):
        body = assert_error(remo.call("POST", prefs, user, json={"language": bad}), {422})
        assert body["detail"].startswith("language"), (bad, body)
        # With a good field beside it: refused whole, the good one is not stored either.
        assert_error(remo.call("POST", prefs, user, json={"language": bad, "theme": "light"}), {422})
    assert snapshot(remo, user) == before
    assert remo.call("GET", prefs, user).json()["preferences"]["language"] == "hi-IN"
    # Tags and common names are taken, in their canonical form.
    for given, canonical in (("en", "en"), ("en_us", "en-US"), ("Hindi", "hi"), ("zh-Hant-TW", "zh-Hant-TW")):
        response = remo.call("POST", prefs, user, json={"language": given})
        assert response.status_code == 200 and response.json()["preferences"]["language"] == canonical, response.text
        assert remo.profile_of(user)["preferences"]["language"] == canonical


def test_bad_patch_fields_are_refused_and_change_nothing(remo):
    user = new_user("patch")
    base = f"/user/{user}"
    todo = remo.call("POST", base + "/todos", user, json={"title": "file taxes", "priority": "high",
                                                          "description": "before April"})
    reminder = remo.call("POST", base + "/reminders", user, json={"title": "call Sam", "when": "tomorrow at 10am"})
    assert todo.status_code == reminder.status_code == 201, (todo.text, reminder.text)
    todo_path = f"{base}/todos/{todo.json()['todo']['todo_id']}"
    reminder_path = f"{base}/reminders/{reminder.json()['reminder']['reminder_id']}"
    before = snapshot(remo, user)
    other = new_user("other")
    common = [  # (body, statuses) for both kinds
        ({"title": ""}, {400}), ({"title": "   "}, {400, 422}), ({"title": 5}, {400}), ({"title": None}, {400}),
        ({"title": "x" * 201}, {422}), ({"description": ""}, {400}), ({"description": 5}, {400}),
        ({"status": 3}, {400}), ({"status": "snoozed"}, {422}), ({"created_at": "2020-01-01T00:00:00Z"}, {400}),
        ({"ttl": 1}, {400}), ({"user_id": other}, {403}), ({"bogus": 1}, {400}), ({}, {400}), ([], {400}),
        ("not an object", {400}),
        # A good field beside a bad one: refused whole, the good one is not applied.
        ({"status": "done", "title": ""}, {400}), ({"status": "done", "created_at": "2020-01-01T00:00:00Z"}, {400}),
    ]
    todo_only = [({"priority": "extreme"}, {422}), ({"priority": 1}, {400}), ({"todo_id": "todo_x"}, {400}),
                 ({"status": "done", "priority": "extreme"}, {422})]
    reminder_only = [({"reminding_time": "not a time"}, {422}), ({"reminding_time": 5}, {400}),
                     ({"reminding_time": "2026-02-30T10:00:00"}, {422}), ({"reminder_id": "rem_x"}, {400}),
                     ({"status": "done", "reminding_time": "soonish"}, {422})]
    for path, cases in ((todo_path, common + todo_only), (reminder_path, common + reminder_only)):
        for body, statuses in cases:
            response = remo.call("PATCH", path, user, json=body)
            assert_error(response, statuses)
    assert snapshot(remo, user) == before
    # The same paths take a good PATCH: the refusals were the fields' doing.
    assert remo.call("PATCH", todo_path, user, json={"status": "done"}).json()["todo"]["status"] == "done"
    assert remo.call("PATCH", reminder_path, user, json={"title": "call Sam back"}).json()["reminder"]["title"] == \
        "call Sam back"


def test_malformed_user_ids_in_paths_are_refused_and_change_nothing(remo):
    user = new_user("paths")
    marker = f"path probe {user}"

    def stored_with_marker():
        found = []
        for table in (remo.todos, remo.reminders):
            scan = table.scan(ConsistentRead=True)
            found += [item for item in scan["Items"] if marker in str(item.get("title", ""))]
        return found

    cases = [
        # nginx resolves the dot segments: the path then names no endpoint.
        ("/user/%2e%2e/todos", {404}), ("/user/%2E%2E/reminders", {404}), ("/user/../todos", {404}),
        # A slash inside the id: another path, no endpoint.
        (f"/user/{user}%2Fextra/todos", {404}), ("/user//todos", {404}),
        # Not a user id at all.
        ("/user/" + "a" * 257 + "/todos", {400}), ("/user/" + "d" * 4000 + "/reminders", {400}),
        ("/user/%20/todos", {400}), (f"/user/{user}%0A/todos", {400}), (f"/user/{user}%09x/reminders", {400}),
        # Well formed, but not this token's user (another issuer's form, another case, a prefix of it).
        ("/user/user-123/todos", {403}), (f"/user/{user.upper()}/todos", {403}), (f"/user/{user[:-1]}/reminders", {403}),
        (f"/user/privy:{user}/todos", {403}),
    ]
    for path, statuses in cases:
        body = {"title": marker, "when": "tomorrow at 10am"} if "reminders" in path else {"title": marker}
        for method in ("POST", "GET"):
            response = remo.call(method, path, user, json=body if method == "POST" else None)
            assert response.status_code in statuses, (method, path[:80], response.status_code, response.text[:200])
            assert set(response.json()) == {"error", "detail"} and response.json()["detail"], response.text
        assert_error(remo.call("GET", path.replace("/todos", "/data").replace("/reminders", "/preferences"), user),
                     statuses)
    assert stored_with_marker() == []
    assert snapshot(remo, user) == ({}, {}, None, [])
    # The token's own path takes the same request.
    assert remo.call("POST", f"/user/{user}/todos", user, json={"title": marker}).status_code == 201
    assert len(stored_with_marker()) == 1
