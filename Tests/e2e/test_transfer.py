"""Transfer to a person: a caller who asks for one (in words, or with the
agent's keypad key) hears a short line and is put through to the agent's
transfer_number with <Dial>; Twilio's signed <Dial action> callback says how it
ended, and when nobody answered the agent comes back and takes a message."""
import pytest

from conftest import module_stack
from voice_helpers import Voice, assert_agent_change_refused, create_agents, local_env

DESK = "+15550009000"



@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    voice = Voice(module_stack(request, tmp_path_factory, local_env()))
    agent = {"agent_id": "xfer-001", "name": "Front desk", "prompt": "Help, or put through to a person.",
             "voice": "Polly.Joanna", "language": "en-US", "greeting": "Hello, this is the front desk. What is your full name?",
             "data_to_fill": {"name": {"required": True, "prompt": "What is your full name?"},
                              "issue": {"required": True, "prompt": "How can we help?"}},
             "transfer_number": DESK, "keypad": {"0": "transfer"}}
    create_agents(voice, agent)
    return voice


def events(report, kind):
    return [e for e in report["events"] if e["type"] == kind]


def hooks(report, path):
    return [e for e in events(report, "webhook") if path in e["url"]]


def test_asking_for_a_person_puts_the_caller_through(voice):
    to = "+15550210001"
    voice.scenario(to, ["Hi, my name is John Smith", "Can I talk to a real person please"],
                   dial={"status": "completed", "duration": 42})
    sid = voice.make_call("xfer-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    assert report["errors"] == []
    assert "put you through" in events(report, "agent")[-1]["text"]
    dial = events(report, "dial")
    assert [(d["number"], d["timeout"]) for d in dial] == [(DESK, "20")]
    [callback] = hooks(report, "/voice/dial-status")
    assert callback["status"] == 200 and "<Hangup/>" in callback["body"]
    record = voice.final_record(sid)
    assert record["transferred_to"] == DESK and record["transfer_outcome"] == "completed"
    assert record["outcome"] == "transferred" and record["ended_by"] == "user"
    assert [m["content"] for m in record["conversation_history"] if m["role"] == "user"][-1] == \
        "Can I talk to a real person please"


def test_nobody_answers_and_the_agent_takes_a_message(voice):
    to = "+15550210002"
    voice.scenario(to, ["representative", "Please call me back tomorrow morning"], dial={"status": "no-answer"})
    sid = voice.make_call("xfer-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    said = [e["text"] for e in events(report, "agent")]
    assert "nobody could take your call" in said[-2] and "pass your message on" in said[-1]
    [callback] = hooks(report, "/voice/dial-status")
    assert "<Gather" in callback["body"] and "/voice/process-speech" in callback["body"]
    record = voice.final_record(sid)
    assert record["data_collected"]["message"] == "Please call me back tomorrow morning"
    assert record["transfer_outcome"] == "no-answer" and record["outcome"] == "transfer_unanswered"
    assert record["ended_by"] == "system_complete"


def test_the_keypad_key_transfers_too(voice):
    to = "+15550210003"
    voice.scenario(to, ["Hi, my name is John Smith", {"digits": "0"}], dial={"status": "busy"})
    sid = voice.make_call("xfer-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    assert [d["number"] for d in events(report, "dial")] == [DESK]
    record = voice.final_record(sid)
    assert record["transfer_outcome"] == "busy"


def test_an_agent_without_a_transfer_number_keeps_the_conversation(voice):
    to = "+15550210004"
    voice.scenario(to, ["Hi, my name is John Smith", "Can I talk to a real person please", "Bye"])
    sid = voice.make_call("customer-support-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    assert not events(report, "dial")
    assert "transferred_to" not in voice.final_record(sid)


def test_a_repeated_dial_callback_changes_nothing(voice):
    to = "+15550210005"
    voice.scenario(to, ["agent please", "Call me back"], dial={"status": "no-answer"})
    sid = voice.make_call("xfer-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    record = voice.final_record(sid)
    [callback] = hooks(report, "/voice/dial-status")
    # Twilio retries a callback it got no answer to: the same params, signed again.
    again = voice.signed_post("/voice/dial-status", {
        "CallSid": sid, "AccountSid": "ACtest", "From": "+15550009999", "To": to, "DialCallStatus": "completed"})
    assert again.status_code == 200
    assert voice.call_record(sid)["transfer_outcome"] == record["transfer_outcome"] == "no-answer"


@pytest.mark.parametrize("change,field", [
    ({"transfer_number": "5550009000"}, "transfer_number"),
    ({"transfer_number": None, "keypad": {"0": "transfer"}}, "keypad.0"),
])
def test_bad_transfer_settings_are_refused_naming_the_field(voice, change, field):
    assert_agent_change_refused(voice, "xfer-001", change, field)
