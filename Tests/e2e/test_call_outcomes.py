"""What a call can end as, and what the edges answer: the final statuses of calls
never answered (busy, no-answer, failed, canceled) and machine detection's
`AnsweredBy`, as DynamoDB holds them; `/make-call` when Twilio refuses, with
`from_number` and `initial_message`; signed but malformed answers and recording
callbacks; nginx's and `/health`'s errors as JSON; the chat assistant before
Privy is configured. One stack for the module (local mode, no Privy settings):
each test waits for its own calls to end."""
import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import socket
import tempfile
import threading

import pytest
import requests
from boto3.dynamodb.conditions import Key

from conftest import Stack, freeze, wait_until
from remo_helpers import Keys, assert_error, new_user
from voice_helpers import API_KEY, Voice, local_env, parse_twiml, spoken

ACCOUNT = "AC00000000000000000000000000000000"
OPERATOR = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="module")
def voice():
    stack = Stack(tempfile.mkdtemp(prefix="voice-e2e-"), local_env())
    try:
        stack.start()
        yield Voice(stack)
    finally:
        stack.stop()
        shutil.rmtree(stack.var_dir, ignore_errors=True)


@pytest.fixture(autouse=True)
def stack_logs_on_failure(request, voice):
    request.node.stacks = [voice.stack]


def outbox_jobs(voice):
    return json.loads(voice.stack.voicectl("outbox", "--json").stdout)


def entries(voice):
    return voice.stack.get("/health").json()["sessiondb"]["entries"]


def quiet_state(voice):
    """Everything a webhook could change, once the worker has nothing left to do:
    the live sessions, the prepared calls and the outbox in SessionDB, and every
    call record in DynamoDB."""
    wait_until(lambda: not outbox_jobs(voice), what="the outbox drained")
    counts = {name: count for name, count in entries(voice).items() if name in ("sessions", "prepared_calls", "outbox")}
    records = sorted(voice.ddb.Table("VoiceAssistant_Calls").scan(ConsistentRead=True)["Items"],
                     key=lambda item: item["call_sid"])
    return counts, records


def simulated_calls_to(voice, number):
    return [call for call in requests.get(voice.sim + "/sim/calls", timeout=5).json() if call["to"] == number]


def is_apology(response):
    """Twilio hears a spoken apology and a clean hang-up: no Gather, nothing more to come."""
    root = parse_twiml(response.text)
    return [child.tag for child in root] == ["Say", "Hangup"] and "sorry" in root.find("Say").text.lower()


# -- how calls end -------------------------------------------------------------------

NEVER_ANSWERED = {"busy": "unknown", "no-answer": "unknown", "failed": "error", "canceled": "unknown"}


def test_calls_never_answered_land_with_their_final_status_and_ended_by(voice):
    placed = {}
    for n, outcome in enumerate(NEVER_ANSWERED):
        to = f"+1555081{n:04d}"
        voice.scenario(to, [], outcome=outcome)
        response = voice.make_call("sales-001", to)
        assert response.status_code == 200, response.text
        placed[response.json()["call_sid"]] = (outcome, to, response.json()["from"])
    for sid, (outcome, to, from_) in placed.items():
        report = voice.call_report(sid)
        assert report["errors"] == []
        # Twilio said only the final status: no answer webhook, no turn.
        assert [e["kind"] for e in report["events"] if e["type"] == "webhook"] == [f"status:{outcome}"]
        record = voice.final_record(sid, status=outcome)
        assert record["ended_by"] == NEVER_ANSWERED[outcome], (outcome, record)
        assert record["duration_seconds"] == 0
        assert (record["recipient_phone"], record["caller_phone"], record["direction"]) == (to, from_, "outbound")
        assert not record.get("conversation_history")
        # Operators find it by its status (StatusIndex).
        by_status = voice.ddb.Table("VoiceAssistant_Calls").query(
            IndexName="StatusIndex", KeyConditionExpression=Key("status").eq(outcome))["Items"]
        assert sid in [item["call_sid"] for item in by_status]
        assert voice.session(sid) is None


ANSWERED_BY = ["human", "machine_start", "machine_end_beep", "fax", "unknown"]


def test_answered_by_values_are_stored(voice):
    placed = {}
    for n, answered_by in enumerate(ANSWERED_BY):
        to = f"+1555082{n:04d}"
        voice.scenario(to, ["No, that's all, thanks. Bye!"], answered_by=answered_by)
        response = voice.make_call("customer-support-001", to)
        assert response.status_code == 200, response.text
        placed[response.json()["call_sid"]] = answered_by
    for sid, answered_by in placed.items():
        report = voice.call_report(sid)
        assert report["errors"] == []
        created = next(e for e in report["events"] if e["type"] == "created")
        # Asked for, waiting for a machine's beep, so Twilio reports AnsweredBy.
        assert created["params"]["MachineDetection"] == "DetectMessageEnd"
        record = voice.final_record(sid)
        assert record["answered_by"] == answered_by, record


# -- /make-call ------------------------------------------------------------------------

def test_make_call_is_422_when_twilio_refuses_the_number_and_leaves_nothing_prepared(voice):
    before = quiet_state(voice)
    to = "+15550830001"
    refusal = {"status": 400, "code": 21215,
               "message": f"Account not authorized to call {to}. Perhaps you need to enable some international permissions"}
    voice.scenario(to, [], refuse=refusal)
    response = voice.make_call("sales-001", to)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "unprocessable" and "Account not authorized to call" in body["detail"], body
    # Twilio down or our credentials refused is not the caller's fault: 502, not 422.
    voice.scenario(to, [], refuse={"status": 503, "code": 20503, "message": "Service Unavailable"})
    response = voice.make_call("sales-001", to)
    assert response.status_code == 502, response.text
    assert response.json()["error"] == "bad_gateway" and "Service Unavailable" in response.json()["detail"]
    assert simulated_calls_to(voice, to) == []
    # What make-call prepared for the answer is gone again, and nothing else changed.
    assert quiet_state(voice) == before


def test_make_call_honours_from_number_and_initial_message(voice):
    to, caller_id = "+15550840001", "+15550849999"
    opening = "Hello, this is Ava from Acme calling about your order 4471."
    voice.scenario(to, ["No, that's all, thanks. Bye!"])
    response = voice.make_call("customer-support-001", to, from_number="+1 (555) 084-9999", initial_message=opening)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"]) == (caller_id, to)
    sid = body["call_sid"]
    report = voice.call_report(sid)
    assert report["errors"] == []
    assert report["from"] == caller_id  # what Twilio was asked to show
    first = spoken(report, "agent")[0]
    assert first.startswith(opening), first  # in place of the agent's greeting, before its first question
    record = voice.final_record(sid)
    assert record["caller_phone"] == caller_id and record["recipient_phone"] == to
    assert (record["conversation_history"][0]["role"], record["conversation_history"][0]["content"]) == ("assistant", first)

    # The agent's own greeting when there is no initial_message; TWILIO_PHONE_NUMBER without from_number.
    voice.scenario("+15550840002", ["No, that's all, thanks. Bye!"])
    plain = voice.make_call("customer-support-001", "+15550840002")
    assert plain.status_code == 200 and plain.json()["from"] != caller_id
    greeting = voice.ddb.Table("VoiceAssistant_Agents").get_item(
        Key={"agent_id": "customer-support-001"})["Item"]["greeting"]
    assert spoken(voice.call_report(plain.json()["call_sid"]), "agent")[0].startswith(greeting)
    voice.final_record(plain.json()["call_sid"])

    # Refused before Twilio is asked, and nothing changes.
    before = quiet_state(voice)
    for extra, words in (({"from_number": "call me maybe"}, "from_number must be a phone number"),
                         ({"from_number": "+0123"}, "from_number must be a phone number"),
                         ({"initial_message": "x" * 501}, "initial_message is longer than 500")):
        response = voice.make_call("customer-support-001", "+15550840003", **extra)
        assert response.status_code == 400, (extra, response.text)
        assert words in response.json()["detail"], response.text
    assert simulated_calls_to(voice, "+15550840003") == []
    assert quiet_state(voice) == before


# -- malformed webhooks --------------------------------------------------------------

def test_malformed_inbound_answers_are_an_apology_and_change_nothing(voice):
    before = quiet_state(voice)
    good = {"AccountSid": ACCOUNT, "CallSid": "CA" + "7" * 32, "From": "+15557770801", "To": "+15550008801",
            "CallStatus": "ringing", "Direction": "inbound"}
    cases = {
        "no CallSid": {k: v for k, v in good.items() if k != "CallSid"},
        "CallSid with a path in it": dict(good, CallSid="CA../../sessions"),
        "CallSid too long": dict(good, CallSid="CA" + "7" * 100),
        "no From": {k: v for k, v in good.items() if k != "From"},
        "no To": {k: v for k, v in good.items() if k != "To"},
        "empty From": dict(good, From=""),
    }
    for label, params in cases.items():
        response = voice.signed_post("/voice/inbound", params)
        assert response.status_code == 200, (label, response.status_code, response.text)
        assert response.headers["Content-Type"].startswith("text/xml")
        assert is_apology(response), (label, response.text)
    # A body that is not a form at all: 400, still spoken.
    broken = requests.post(voice.stack.url + "/voice/inbound", data="CallSid=%zz&From=%", timeout=10,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert broken.status_code == 400 and is_apology(broken)
    assert voice.session(good["CallSid"]) is None
    assert quiet_state(voice) == before
    # The well-formed answer is taken: the refusals above were the input's doing.
    taken = voice.signed_post("/voice/inbound", good)
    assert taken.status_code == 200 and parse_twiml(taken.text).find("Gather") is not None
    assert voice.session(good["CallSid"])["phase"] == "collecting"
    ended = dict(good, CallStatus="completed", CallDuration="3")
    assert voice.signed_post("/call-status", ended).status_code == 200
    voice.final_record(good["CallSid"])


def test_malformed_recording_callbacks_are_400_and_change_nothing(voice):
    voice.scenario("+15550850001", ["No, that's all, thanks. Bye!"])
    sid = voice.make_call("customer-support-001", "+15550850001").json()["call_sid"]
    report = voice.call_report(sid)
    wait_until(lambda: (r := voice.call_record(sid)) and r.get("s3_recording_url"), what="the recording archived")
    before = quiet_state(voice)
    announce = {"AccountSid": ACCOUNT, "CallSid": sid, "RecordingSid": report["recording"]["sid"],
                "RecordingUrl": report["recording"]["url"], "RecordingStatus": "completed",
                "RecordingDuration": "2"}
    for label, params in (("no RecordingUrl", {k: v for k, v in announce.items() if k != "RecordingUrl"}),
                          ("empty RecordingUrl", dict(announce, RecordingUrl=""))):
        response = voice.signed_post("/recording-status", params)
        body = assert_error(response, {400})
        assert body["error"] == "bad_request" and "RecordingUrl" in body["detail"], (label, body)
    # A recording that is not ready (or failed) is nothing to fetch: taken, and ignored.
    for status in ("failed", "absent", None):
        params = dict(announce, RecordingStatus=status) if status else \
            {k: v for k, v in announce.items() if k != "RecordingStatus"}
        assert voice.signed_post("/recording-status", params).status_code == 200
    assert quiet_state(voice) == before


# -- errors as JSON ----------------------------------------------------------------------

MDB_NOTLS, MDB_RDONLY = 0x200000, 0x20000


class ReaderSlots:
    """Takes every reader slot of a SessionDB from outside the stack (read
    transactions held open through liblmdb itself), so no process of the stack
    can begin a read: SessionDB is unreachable for them until `release()`."""

    def __init__(self, directory, map_size):
        self.lmdb = ctypes.CDLL(ctypes.util.find_library("lmdb"))
        self.env = ctypes.c_void_p()
        assert self.lmdb.mdb_env_create(ctypes.byref(self.env)) == 0
        assert self.lmdb.mdb_env_set_mapsize(self.env, ctypes.c_size_t(map_size)) == 0
        assert self.lmdb.mdb_env_set_maxdbs(self.env, ctypes.c_uint(64)) == 0
        assert self.lmdb.mdb_env_open(self.env, directory.encode(), ctypes.c_uint(MDB_NOTLS | MDB_RDONLY), 0o660) == 0
        self.transactions = []

    def take_all(self):
        while True:
            txn = ctypes.c_void_p()
            rc = self.lmdb.mdb_txn_begin(self.env, None, ctypes.c_uint(MDB_RDONLY), ctypes.byref(txn))
            if rc == -30790:  # MDB_READERS_FULL
                return len(self.transactions)
            assert rc == 0, rc
            self.transactions.append(txn)

    def release(self):
        for txn in self.transactions:
            self.lmdb.mdb_txn_abort(txn)
        self.transactions = []
        self.lmdb.mdb_env_close(self.env)


def assert_json_error(response, status, error):
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error", "detail"} and body["error"] == error and body["detail"], body
    return body


def test_nginx_and_health_errors_are_json(voice):
    stack = voice.stack
    for path in ("/no/such/endpoint", "/voice", "/user/u1/elsewhere", "/sessions/extra/"):
        assert_json_error(stack.get(path, headers=OPERATOR), 404, "not_found")

    # 504: the endpoint takes the request and never answers (every process
    # frozen); nginx gives up after fastcgi_read_timeout (15 s, Twilio's own
    # limit). The other errors are provoked while that request waits.
    frozen = stack.pids("sessions")
    timed_out = {}

    def ask():
        timed_out["response"] = requests.get(stack.url + "/sessions", headers=OPERATOR, timeout=60)

    asking = threading.Thread(target=ask)
    for pid in frozen:
        freeze(pid)
    try:
        asking.start()
        # 502: the endpoint is not running.
        stack.ctl("stop", "user-todos:*")
        try:
            body = assert_json_error(stack.get("/user/u1/todos"), 502, "bad_gateway")
            assert "not running" in body["detail"]
        finally:
            stack.ctl("start", "user-todos:*")
        assert_json_error(stack.get("/user/u1/todos"), 503, "service_unavailable")  # back (no Privy here)

        # 503 from /health: SessionDB is unreachable (no reader slot left).
        healthy = stack.get("/health").json()["sessiondb"]
        slots = ReaderSlots(healthy["directory"], healthy["map_size_bytes"])
        try:
            assert slots.take_all() > 0
            body = assert_json_error(stack.get("/health"), 503, "service_unavailable")
            assert "SessionDB" in body["detail"]
        finally:
            slots.release()
        assert stack.get("/health").json()["status"] == "ok"
        asking.join(timeout=60)
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        asking.join(timeout=60)
    body = assert_json_error(timed_out["response"], 504, "gateway_timeout")
    assert "did not answer in time" in body["detail"]
    assert stack.get("/sessions", headers=OPERATOR).status_code == 200


def test_chat_and_user_data_are_503_until_privy_is_configured(voice):
    """This stack has no PRIVY_APP_ID or PRIVY_VERIFICATION_KEY: whatever the
    token, the chat assistant answers 503 naming them, and stores nothing."""
    user = new_user("unconfigured")
    token = Keys().token(user)
    requests_to_make = [
        ("POST", "/chat", {"message": "remind me tomorrow at 10am to call Sam", "user_id": user}),
        ("GET", f"/user/{user}/data", None),
        ("POST", f"/user/{user}/preferences", {"timezone": "Asia/Kolkata"}),
        ("POST", f"/user/{user}/reminders", {"title": "call Sam", "when": "tomorrow at 10am"}),
        ("POST", f"/user/{user}/todos", {"title": "buy milk"}),
        ("DELETE", f"/user/{user}/data?data_type=all", None),
    ]
    for method, path, body in requests_to_make:
        for headers in ({"Authorization": f"Bearer {token}"}, {}):
            response = requests.request(method, voice.stack.url + path, json=body, headers=headers, timeout=15)
            detail = assert_error(response, {503})["detail"]
            assert "PRIVY_APP_ID" in detail and "PRIVY_VERIFICATION_KEY" in detail, (method, path, detail)
    for table in ("remo-reminders", "remo-todos", "remo-conversations"):
        items = voice.ddb.Table(table).query(KeyConditionExpression=Key("user_id").eq(user), ConsistentRead=True)
        assert items["Items"] == [], table
    assert "Item" not in voice.ddb.Table("remo-users").get_item(Key={"privy_id": user}, ConsistentRead=True)


# -- found by these tests: product bugs (each failing until fixed) -------------------

def test_status_callbacks_without_a_usable_call_sid_are_400(voice):
    """Bad input is a 4xx `{error, detail}` naming the field, never a 5xx."""
    before = quiet_state(voice)
    recording = f"{voice.sim}/2010-04-01/Accounts/{ACCOUNT}/Recordings/RE1"
    for path, params in (("/call-status", {"AccountSid": ACCOUNT, "CallStatus": "completed", "CallDuration": "3"}),
                         ("/recording-status", {"AccountSid": ACCOUNT, "RecordingSid": "RE1", "RecordingUrl": recording,
                                                "RecordingStatus": "completed"})):
        for label, sid in (("no CallSid", None), ("CallSid with a path in it", "CA../../sessions"),
                           ("CallSid too long", "CA" + "7" * 100)):
            sent = dict(params, CallSid=sid) if sid else params
            response = voice.signed_post(path, sent)
            assert response.status_code == 400, (path, label, response.status_code, response.text)
            assert "CallSid" in assert_error(response, {400})["detail"], (path, label, response.text)
    assert quiet_state(voice) == before


def test_requests_nginx_refuses_while_reading_them_get_json_errors(voice):
    """nginx refuses these before any location is chosen (a NUL in the path, a
    path above the root, a request line or headers over its buffers, a request
    line that is not HTTP); its own errors are JSON like every other answer."""
    for path in ("/health%00", "/user/a%00b/data", "/user/%2e%2e%2f%2e%2e/todos", "/voice/%2e%2e/%2e%2e/x"):
        assert_json_error(voice.stack.get(path), 400, "bad_request")
    assert_json_error(voice.stack.get("/health?x=" + "a" * 10_000), 414, "uri_too_long")
    assert_json_error(voice.stack.get("/health", headers={"X-Big": "a" * 10_000}), 400, "bad_request")
    with socket.create_connection(("127.0.0.1", voice.stack.port), timeout=10) as connection:
        connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = b""
        while chunk := connection.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and b"Content-Type: application/json" in head, answer[:300]
    assert json.loads(body)["error"] == "bad_request", body


def test_a_call_never_answered_is_recorded_under_its_agent(voice):
    """make-call knew the agent; the record of a busy (no-answer, failed,
    canceled) call must carry it, else the agent's call history
    (AgentRecipientIndex) never shows the attempt."""
    to = "+15550860001"
    voice.scenario(to, [], outcome="busy")
    sid = voice.make_call("sales-001", to).json()["call_sid"]
    record = voice.final_record(sid, status="busy")
    assert record.get("agent_id") == "sales-001", record
    history = voice.ddb.Table("VoiceAssistant_Calls").query(
        IndexName="AgentRecipientIndex", KeyConditionExpression=Key("agent_id").eq("sales-001"))["Items"]
    assert sid in [item["call_sid"] for item in history]


# -- what a call leaves in SessionDB ----------------------------------------------

def test_the_agent_snapshot_of_a_call_lives_as_long_as_its_session(voice):
    """A live session refers to the agent it was answered with, stored once in
    SessionDB; once the call is finalized the worker's sweep removes it."""
    to = "+15550817777"
    voice.scenario(to, [{"say": "My name is Asha Rao", "confidence": 0.92, "pause": 3}, "No, that's all, thanks. Bye!"])
    response = voice.make_call("customer-support-001", to)
    assert response.status_code == 200, response.text
    sid = response.json()["call_sid"]
    wait_until(lambda: voice.session(sid) is not None, what="the call answered")
    assert entries(voice)["agent_snapshots"] >= 1
    voice.call_report(sid)
    voice.final_record(sid)
    quiet_state(voice)
    # The worker sweeps every 30 s (at most).
    wait_until(lambda: entries(voice)["agent_snapshots"] == 0 and entries(voice)["sessions"] == 0, timeout=60,
               what="the agent snapshot removed with the last session")
