"""End-of-call webhooks: once a call's final record is written, the worker
POSTs its report to the agent's webhook_url, signed over a timestamp and the
body (checked here by the README's example receiver, which shares no code with
ours), retried through the outbox until the receiver takes it, dead-lettered
when it refuses it for good."""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from conftest import free_port, module_stack, wait_until
from voice_helpers import Voice, assert_agent_change_refused, create_agents, local_env, operator_headers

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
from webhook_receiver import verify_signature  # noqa: E402

SECRET = "whsec_e2e_0123456789abcdef"
LINES = ["Hi, my name is John Smith", "john at example dot com", "My internet keeps dropping", "No, that's all. Bye!"]


class Receiver:
    """A webhook receiver whose answers the tests script, per recipient number."""

    def __init__(self):
        self.deliveries = []
        self.answers = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                report = json.loads(body)
                to = report["call"]["recipient_phone"]
                with receiver.lock:
                    script = receiver.answers.get(to, [])
                    status = script.pop(0) if script else 204
                    receiver.deliveries.append({"headers": dict(self.headers), "body": body, "report": report,
                                                "status": status})
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, number):
        with self.lock:
            return [d for d in self.deliveries if d["report"]["call"]["recipient_phone"] == number]


@pytest.fixture(scope="module")
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory, receiver):
    voice = Voice(module_stack(request, tmp_path_factory, local_env()))
    agent = {
        "agent_id": "hooked-001", "name": "Hooked", "prompt": "Collect name, email and issue.",
        "voice": "Polly.Joanna", "language": "en-US", "greeting": "Hello, this is support. What is your full name?",
        "data_to_fill": {"name": {"required": True, "prompt": "What is your full name?"},
                         "email": {"required": True, "prompt": "What is your email?"},
                         "issue": {"required": True, "prompt": "What is the issue?"}},
        "webhook_url": f"http://127.0.0.1:{receiver.port}/hooks/calls", "webhook_secret": SECRET,
    }
    create_agents(voice, agent)
    return voice



def place_call(voice, to):
    voice.scenario(to, LINES)
    sid = voice.make_call("hooked-001", to).json()["call_sid"]
    voice.call_report(sid)
    return sid


def outbox(voice, *flags):
    return json.loads(voice.stack.voicectl("outbox", "--json", *flags).stdout)


def test_a_finished_call_is_reported_once_signed_with_its_final_record(voice, receiver):
    to = "+15550180001"
    sid = place_call(voice, to)
    delivery = wait_until(lambda: receiver.to(to), what="the webhook")[0]
    record = voice.final_record(sid)
    headers, body, report = delivery["headers"], delivery["body"], delivery["report"]
    assert verify_signature(SECRET, headers["X-Voice-Signature"], body)
    assert not verify_signature("another-secret-of-16+", headers["X-Voice-Signature"], body)
    assert not verify_signature(SECRET, headers["X-Voice-Signature"], body + b" ")
    assert headers["Idempotency-Key"] == report["id"] == f"call.ended.{sid}"
    assert headers["Content-Type"] == "application/json"
    assert report["type"] == "call.ended" and report["outcome"] == "completed"
    assert report["agent"] == {"agent_id": "hooked-001", "name": "Hooked"}
    call = report["call"]
    assert call["call_sid"] == sid and call["status"] == "completed" and call["ended_by"] == record["ended_by"]
    assert call["data_collected"] == record["data_collected"] == {
        "name": "John Smith", "email": "john@example.com", "issue": "My internet keeps dropping"}
    assert [m["content"] for m in call["conversation_history"]] == [m["content"] for m in record["conversation_history"]]
    assert SECRET not in body.decode()
    wait_until(lambda: not [j for j in outbox(voice) if j["subject"] == sid], what="the outbox to drain")
    assert len(receiver.to(to)) == 1


def test_a_failing_receiver_gets_the_same_report_again_until_it_takes_it(voice, receiver):
    to = "+15550180002"
    receiver.answers[to] = [500, 503, 429]
    sid = place_call(voice, to)
    # Each failure waits in the outbox, visible, with its error, until it is due again.
    retrying = wait_until(lambda: [j for j in outbox(voice) if j["subject"] == sid and j["kind"] == "webhook"
                                   and j["attempts"] >= 1], what="the webhook waiting for a retry")[0]
    assert "500" in retrying["last_error"]
    voice.stack.voicectl("outbox", "--retry-now")
    wait_until(lambda: len(receiver.to(to)) >= 2, timeout=60, what="the second attempt")
    voice.stack.voicectl("outbox", "--retry-now")
    wait_until(lambda: len(receiver.to(to)) >= 3, timeout=60, what="the third attempt")
    voice.stack.voicectl("outbox", "--retry-now")
    deliveries = wait_until(lambda: (d := receiver.to(to)) and d[-1]["status"] == 204 and d, timeout=60,
                            what="the report accepted")
    assert [d["status"] for d in deliveries] == [500, 503, 429, 204]
    assert len({d["headers"]["Idempotency-Key"] for d in deliveries}) == 1
    # One event, sent again: its id and time stay; the record inside is as it is at each attempt.
    assert len({(d["report"]["id"], d["report"]["created_at"], d["report"]["call"]["call_sid"]) for d in deliveries}) == 1
    for delivery in deliveries:
        assert verify_signature(SECRET, delivery["headers"]["X-Voice-Signature"], delivery["body"])
    wait_until(lambda: not [j for j in outbox(voice) if j["subject"] == sid], what="the outbox to drain")
    assert not [d for d in outbox(voice, "--dead") if d["job"]["subject"] == sid]


def test_a_report_refused_for_good_is_dead_lettered_and_can_be_requeued(voice, receiver):
    to = "+15550180003"
    receiver.answers[to] = [400]
    sid = place_call(voice, to)
    letter = wait_until(lambda: [d for d in outbox(voice, "--dead") if d["job"]["subject"] == sid],
                        what="the dead letter")[0]
    assert letter["job"]["kind"] == "webhook" and "400" in letter["reason"]
    assert not [j for j in outbox(voice) if j["subject"] == sid]  # not retried
    assert len(receiver.to(to)) == 1
    table = voice.stack.voicectl("outbox").stdout
    assert "dead letters: " in table
    counts = json.loads(voice.stack.voicectl("outbox", "--counts").stdout)
    assert counts["dead"] >= 1
    # The receiver fixed, the operator puts it back; it is delivered once more.
    assert "put back" in voice.stack.voicectl("outbox", "--requeue-dead").stdout
    wait_until(lambda: len(receiver.to(to)) == 2 and receiver.to(to)[-1]["status"] == 204, what="the redelivery")
    assert not [d for d in outbox(voice, "--dead") if d["job"]["subject"] == sid]


def test_an_unreachable_receiver_loses_nothing(voice, receiver):
    down = free_port()
    agent = requests.patch(f"{voice.stack.url}/agents/hooked-001", headers=operator_headers(), timeout=15,
                           json={"webhook_url": f"http://127.0.0.1:{down}/hooks"})
    assert agent.status_code == 200, agent.text
    to = "+15550180004"
    try:
        sid = place_call(voice, to)
        job = wait_until(lambda: [j for j in outbox(voice) if j["subject"] == sid and j["kind"] == "webhook"
                                  and j["attempts"] >= 1], what="the webhook failing")[0]
        assert job["last_error"]
    finally:
        restored = requests.patch(f"{voice.stack.url}/agents/hooked-001", headers=operator_headers(), timeout=15,
                                  json={"webhook_url": f"http://127.0.0.1:{receiver.port}/hooks/calls"})
        assert restored.status_code == 200
    # The next attempt reads the agent as it is now: the receiver is back.
    voice.stack.voicectl("outbox", "--retry-now")
    delivery = wait_until(lambda: receiver.to(to), timeout=60, what="the delivery after the outage")[0]
    assert delivery["report"]["call"]["call_sid"] == sid


@pytest.mark.parametrize("change,field", [
    ({"webhook_url": "ftp://example.com/hook"}, "webhook_url"),
    ({"webhook_url": "not a url"}, "webhook_url"),
    ({"webhook_url": "https://user:pw@example.com/hook"}, "webhook_url"),
    ({"webhook_secret": "short"}, "webhook_secret"),
    ({"webhook_secret": "has a space in it ok?"}, "webhook_secret"),
    ({"webhook_url": "https://example.com/hook", "webhook_secret": None}, "webhook_secret"),
])
def test_bad_webhook_settings_are_refused_naming_the_field(voice, change, field):
    assert_agent_change_refused(voice, "hooked-001", change, field)


def test_an_agent_without_a_webhook_sends_nothing(voice, receiver):
    to = "+15550180005"
    voice.scenario(to, LINES)
    sid = voice.make_call("customer-support-001", to).json()["call_sid"]
    voice.call_report(sid)
    voice.final_record(sid)
    wait_until(lambda: not [j for j in outbox(voice) if j["subject"] == sid], what="the outbox to drain")
    assert not receiver.to(to)
    assert not [line for line in voice.stack.log_lines("worker") if "webhook" in line and sid in line]
