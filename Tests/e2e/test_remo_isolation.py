"""Remo's boundaries: user B reaches none of user A's data through any route;
forged and expired tokens are refused; deleting a user's 300 messages removes
all of them and nothing of anyone else's; expired items stay hidden;
`voicectl remo-setup` passes and leaves nothing behind; production refuses the
test clock."""
import base64
import hashlib
import hmac
import json
import time

import pytest
import requests

from remo_helpers import APP_ID, FIXED_EPOCH, Keys, RemoStack, assert_error, new_user


@pytest.fixture(scope="module")
def remo():
    stack = RemoStack()
    yield stack
    stack.close()


def seed_user_a(remo):
    """A with a reminder, a todo, preferences, a profile detail and messages."""
    a = new_user("a")
    assert remo.call("POST", f"/user/{a}/preferences", a, json={"timezone": "Asia/Kolkata", "theme": "dark"}).ok
    reminder = remo.call("POST", f"/user/{a}/reminders", a, json={"title": "call Sam", "when": "tomorrow at 10am"})
    assert reminder.status_code == 201, reminder.text
    todo = remo.call("POST", f"/user/{a}/todos", a, json={"title": "buy milk", "priority": "high"})
    assert todo.status_code == 201, todo.text
    assert remo.chat(a, "my email is a@example.com").status_code == 200
    return a, reminder.json()["reminder"]["reminder_id"], todo.json()["todo"]["todo_id"]


def snapshot(remo, user):
    return (remo.reminders_of(user), remo.todos_of(user), remo.profile_of(user),
            [(m["timestamp"], m["content"]) for m in remo.messages_of(user)])


def test_user_b_cannot_reach_user_a_through_any_route(remo):
    a, reminder_id, todo_id = seed_user_a(remo)
    b = new_user("b")
    before = snapshot(remo, a)
    assert before[0][reminder_id]["reminding_time"] == "2026-11-19T04:30:00Z"  # 10:00 in Kolkata

    # B's token on A's paths: every route and method is 403.
    routes = [
        ("GET", f"/user/{a}/data", None), ("DELETE", f"/user/{a}/data?data_type=all", None),
        ("DELETE", f"/user/{a}/data?data_type=reminders", None), ("DELETE", f"/user/{a}/data?data_type=todos", None),
        ("DELETE", f"/user/{a}/data?data_type=conversations", None),
        ("GET", f"/user/{a}/preferences", None), ("POST", f"/user/{a}/preferences", {"timezone": "UTC"}),
        ("GET", f"/user/{a}/reminders", None), ("POST", f"/user/{a}/reminders", {"title": "x", "when": "tonight"}),
        ("GET", f"/user/{a}/reminders/{reminder_id}", None),
        ("PATCH", f"/user/{a}/reminders/{reminder_id}", {"status": "cancelled"}),
        ("DELETE", f"/user/{a}/reminders/{reminder_id}", None),
        ("GET", f"/user/{a}/todos", None), ("POST", f"/user/{a}/todos", {"title": "x"}),
        ("GET", f"/user/{a}/todos/{todo_id}", None), ("PATCH", f"/user/{a}/todos/{todo_id}", {"status": "done"}),
        ("DELETE", f"/user/{a}/todos/{todo_id}", None),
    ]
    for method, path, body in routes:
        response = remo.call(method, path, b, json=body)
        assert_error(response, {403})
    # /chat naming A with B's token.
    assert_error(remo.chat(a, "show my reminders", token=remo.keys.token(b)), {403})
    # A's user_id in a body on B's own path.
    assert_error(remo.call("POST", f"/user/{b}/todos", b, json={"title": "x", "user_id": a}), {403})

    # B's own paths with A's item ids: A's items do not exist for B.
    for method, path, body in [
        ("GET", f"/user/{b}/reminders/{reminder_id}", None),
        ("PATCH", f"/user/{b}/reminders/{reminder_id}", {"status": "done"}),
        ("DELETE", f"/user/{b}/reminders/{reminder_id}", None),
        ("GET", f"/user/{b}/todos/{todo_id}", None),
        ("PATCH", f"/user/{b}/todos/{todo_id}", {"status": "done"}),
        ("DELETE", f"/user/{b}/todos/{todo_id}", None),
    ]:
        assert_error(remo.call(method, path, b, json=body), {404})

    # B's own listings and data are empty; asking by A's titles finds nothing.
    assert remo.call("GET", f"/user/{b}/reminders", b).json()["reminders"] == []
    assert remo.call("GET", f"/user/{b}/todos", b).json()["todos"] == []
    data = remo.call("GET", f"/user/{b}/data", b).json()
    assert (data["profile"], data["reminders"], data["todos"], data["conversations"]) == (None, [], [], [])
    for message in ["mark the reminder to call Sam as done", "cancel the reminder about Sam",
                    "mark buy milk as done", "delete the todo about milk", "show my reminders", "show my todos",
                    "what's my profile?"]:
        body = remo.chat(b, message).json()
        assert body["actions"] == [], (message, body)
        # Nothing of A's shows: not the reminder's time, not the email (B's own words may be echoed).
        assert "19 November" not in body["reply"] and "a@example.com" not in body["reply"], body["reply"]
        assert body.get("items") in (None, []), body
    assert remo.call("DELETE", f"/user/{b}/data?data_type=all", b).status_code == 200

    # A's data is exactly as before, and A still reaches it.
    assert snapshot(remo, a) == before
    assert remo.call("GET", f"/user/{a}/reminders/{reminder_id}", a).status_code == 200
    prefs = remo.call("GET", f"/user/{a}/preferences", a).json()["preferences"]
    assert prefs == {"timezone": "Asia/Kolkata", "theme": "dark"}


def b64json(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def hs256_token(public_pem, claims):
    """HS256 keyed with the public PEM (key confusion), signed by hand as an
    attacker would: PyJWT refuses a PEM as an HMAC secret."""
    signing_input = b64json({"alg": "HS256", "typ": "JWT"}) + "." + b64json(claims)
    signature = hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def forged_tokens(keys, user):
    now = int(time.time())
    claims = {"sub": user, "aud": APP_ID, "iss": "privy.io", "iat": now, "exp": now + 3600}
    genuine = keys.token(user).split(".")
    return {
        "other key": Keys().token(user),
        "expired": keys.token(user, exp_in=-3600, iat_offset=-7200),
        "wrong audience": keys.token(user, aud="someone-else"),
        "wrong issuer": keys.token(user, iss="evil.example"),
        "alg none": b64json({"alg": "none", "typ": "JWT"}) + "." + b64json(claims) + ".",
        "HS256 with the public key": hs256_token(keys.public_pem, claims),
        "tampered payload": genuine[0] + "." + b64json(dict(claims, sub=user + "x")) + "." + genuine[2],
        "garbage": "not-a-jwt",
    }


def test_forged_and_expired_tokens_are_refused_everywhere(remo):
    a, reminder_id, todo_id = seed_user_a(remo)
    before = snapshot(remo, a)
    for name, token in forged_tokens(remo.keys, a).items():
        for method, path, body in [
            ("POST", "/chat", {"message": "delete the todo about milk", "user_id": a}),
            ("GET", f"/user/{a}/data", None), ("DELETE", f"/user/{a}/data?data_type=all", None),
            ("POST", f"/user/{a}/preferences", {"timezone": "UTC"}),
            ("GET", f"/user/{a}/reminders", None), ("DELETE", f"/user/{a}/reminders/{reminder_id}", None),
            ("PATCH", f"/user/{a}/todos/{todo_id}", {"status": "done"}),
        ]:
            response = requests.request(method, remo.url + path, json=body, timeout=15,
                                        headers={"Authorization": f"Bearer {token}"})
            assert_error(response, {401})
            assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), name
    # No header, another scheme.
    assert_error(requests.get(f"{remo.url}/user/{a}/data", timeout=15), {401})
    assert_error(requests.get(f"{remo.url}/user/{a}/data", timeout=15,
                              headers={"Authorization": "Basic " + base64.b64encode(b"a:b").decode()}), {401})
    assert snapshot(remo, a) == before


def test_deleting_conversations_removes_all_300_messages_and_nothing_else(remo):
    a, reminder_id, todo_id = seed_user_a(remo)
    b = new_user("other")
    ttl = FIXED_EPOCH + 30 * 86400
    with remo.conversations.batch_writer() as batch:
        for i in range(300):
            batch.put_item(Item={"user_id": a, "timestamp": f"2026-11-17T10:{i // 60:02d}:{i % 60:02d}.000000Z",
                                 "role": "user" if i % 2 == 0 else "assistant", "content": f"message {i}", "ttl": ttl})
        for i in range(25):
            batch.put_item(Item={"user_id": b, "timestamp": f"2026-11-17T11:00:{i:02d}.000000Z",
                                 "role": "user", "content": f"b {i}", "ttl": ttl})
    total_a = len(remo.messages_of(a))
    assert total_a == 302  # the 300 plus the exchange of seed_user_a's chat

    response = remo.call("DELETE", f"/user/{a}/data?data_type=conversations", a)
    assert response.status_code == 200, response.text
    assert response.json()["deleted"] == {"conversations": total_a}
    assert remo.messages_of(a) == []
    assert len(remo.messages_of(b)) == 25
    # Only conversations went.
    assert set(remo.reminders_of(a)) == {reminder_id} and set(remo.todos_of(a)) == {todo_id}
    assert remo.profile_of(a)["email"] == "a@example.com"

    # data_type=all takes the rest, still nothing of B's.
    response = remo.call("DELETE", f"/user/{a}/data?data_type=all", a)
    assert response.json()["deleted"] == {"reminders": 1, "todos": 1, "conversations": 0, "profile": 1}
    assert (remo.reminders_of(a), remo.todos_of(a), remo.profile_of(a)) == ({}, {}, None)
    assert len(remo.messages_of(b)) == 25


def test_expired_items_are_invisible_and_unchangeable(remo):
    user = new_user("expired")
    past = FIXED_EPOCH - 1
    remo.reminders.put_item(Item={
        "user_id": user, "reminder_id": "rem_20251101_000000_expired", "title": "old", "status": "pending",
        "reminding_time": "2025-11-02T00:00:00", "created_at": "2025-11-01T00:00:00", "ttl": past})
    remo.todos.put_item(Item={
        "user_id": user, "todo_id": "todo_20251101_000000_expired", "title": "old todo", "priority": "high",
        "status": "pending", "created_at": "2025-11-01T00:00:00", "ttl": past})
    remo.conversations.put_item(Item={"user_id": user, "timestamp": "2025-10-01T00:00:00", "role": "user",
                                      "content": "long ago", "ttl": past})
    # An item the original system wrote (naive times, no reminding_time_epoch) and still live.
    remo.reminders.put_item(Item={
        "user_id": user, "reminder_id": "rem_20261101_000000_original", "title": "from Python", "status": "pending",
        "reminding_time": "2026-12-02T10:00:00", "created_at": "2026-11-01T00:00:00", "ttl": FIXED_EPOCH + 1000})

    reminders = remo.call("GET", f"/user/{user}/reminders", user).json()["reminders"]
    assert [r["reminder_id"] for r in reminders] == ["rem_20261101_000000_original"]
    assert reminders[0]["reminding_time"] == "2026-12-02T10:00:00Z"
    assert remo.call("GET", f"/user/{user}/todos", user).json()["todos"] == []
    assert remo.call("GET", f"/user/{user}/data", user).json()["conversations"] == []
    assert_error(remo.call("PATCH", f"/user/{user}/reminders/rem_20251101_000000_expired", user,
                           json={"status": "done"}), {404})
    assert_error(remo.call("DELETE", f"/user/{user}/todos/todo_20251101_000000_expired", user), {404})
    body = remo.chat(user, "show my reminders").json()
    assert "from Python" in body["reply"] and "old" not in body["reply"].replace("hold", "")
    assert remo.reminders_of(user)["rem_20251101_000000_expired"]["status"] == "pending"


def test_rest_round_trip(remo):
    user = new_user("rest")
    created = remo.call("POST", f"/user/{user}/reminders", user,
                        json={"title": "dentist", "reminding_time": "2026-12-01T09:30:00+05:30", "description": "bring card"})
    assert created.status_code == 201, created.text
    reminder = created.json()["reminder"]
    assert reminder["reminding_time"] == "2026-12-01T04:00:00Z" and reminder["status"] == "pending"
    rid = reminder["reminder_id"]
    patched = remo.call("PATCH", f"/user/{user}/reminders/{rid}", user, json={"status": "completed"})
    assert patched.status_code == 200 and patched.json()["reminder"]["status"] == "done"
    assert remo.reminders_of(user)[rid]["status"] == "done"
    assert [r["reminder_id"] for r in remo.call("GET", f"/user/{user}/reminders?status=done", user).json()["reminders"]] == [rid]
    assert remo.call("GET", f"/user/{user}/reminders?status=pending", user).json()["reminders"] == []

    todos = {}
    for title, priority in [("low one", "low"), ("urgent one", "urgent"), ("high one", "high")]:
        response = remo.call("POST", f"/user/{user}/todos", user, json={"title": title, "priority": priority})
        todos[title] = response.json()["todo"]["todo_id"]
    listed = remo.call("GET", f"/user/{user}/todos", user).json()["todos"]
    assert [t["title"] for t in listed] == ["urgent one", "high one", "low one"]
    by_priority = remo.call("GET", f"/user/{user}/todos?priority=urgent", user).json()["todos"]
    assert [t["todo_id"] for t in by_priority] == [todos["urgent one"]]
    remo.call("PATCH", f"/user/{user}/todos/{todos['high one']}", user, json={"status": "done", "priority": "low"})
    both = remo.call("GET", f"/user/{user}/todos?status=done&priority=low", user).json()["todos"]
    assert [t["todo_id"] for t in both] == [todos["high one"]]
    deleted = remo.call("DELETE", f"/user/{user}/todos/{todos['low one']}", user)
    assert deleted.status_code == 200 and deleted.json() == {"deleted": True, "id": todos["low one"]}
    assert set(remo.todos_of(user)) == {todos["urgent one"], todos["high one"]}


def test_remo_setup_passes_and_cleans_up(remo):
    result = remo.stack.voicectl("remo-setup", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ Remo setup complete" in result.stdout
    for line in ["remo-reminders exists", "B cannot read A's items by id", "B cannot delete A's items",
                 "test users cleaned up"]:
        assert "✓ " + line in result.stdout, result.stdout
    for table in (remo.reminders, remo.todos, remo.conversations):
        leftovers = [item for item in table.scan()["Items"] if "remo-setup" in item["user_id"]]
        assert leftovers == []
    assert [item for item in remo.users.scan()["Items"] if "remo-setup" in item["privy_id"]] == []


def test_production_refuses_the_test_clock(remo):
    result = remo.stack.voicectl("config", "check", check=False,
                                 extra_env={"LOCAL_AWS": "false", "REMO_FIXED_NOW": "2026-11-18T05:30:00Z"})
    assert result.returncode != 0
    assert "REMO_FIXED_NOW" in result.stdout + result.stderr


def test_concurrent_messages_of_one_user_are_all_kept(remo):
    """With the clock pinned every message asks for the same sort key: the
    conditional append must move each one to a free key, losing none."""
    from concurrent.futures import ThreadPoolExecutor

    user = new_user("busy")
    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(lambda i: remo.chat(user, f"add todo parallel {i}"), range(24)))
    assert [r.status_code for r in responses] == [200] * 24
    messages = remo.messages_of(user)
    assert len(messages) == 48 and len({m["timestamp"] for m in messages}) == 48
    questions = {m["content"] for m in messages if m["role"] == "user"}
    assert questions == {f"add todo parallel {i}" for i in range(24)}
    assert {t["title"] for t in remo.todos_of(user).values()} == {f"parallel {i}" for i in range(24)}
