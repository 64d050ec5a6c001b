"""What answers the phone decides the call (Twilio's AnsweredBy, with detection
that waits for the beep): a person gets the conversation, an answering machine
the agent's voicemail_message, a fax a hang-up. And keys: a number may be typed
instead of spoken, and the agent's keypad menu pressed."""
import pytest
import requests

from conftest import module_stack
from voice_helpers import Voice, assert_agent_change_refused, create_agents, local_env, operator_headers

VOICEMAIL = "Hi {name}, this is {agent_name} calling about your order. Please call us back."



@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    voice = Voice(module_stack(request, tmp_path_factory, local_env()))
    agents = [
        {"agent_id": "vm-001", "name": "Acme Orders", "prompt": "Confirm the order.", "voice": "Polly.Joanna",
         "language": "en-US", "greeting": "Hello, this is Acme. What is your full name?",
         "data_to_fill": {"name": {"required": True, "prompt": "What is your full name?"}},
         "voicemail_message": VOICEMAIL},
        {"agent_id": "keys-001", "name": "Keys", "prompt": "Take an account number.", "voice": "Polly.Joanna",
         "language": "en-US", "greeting": "Hello. What is your full name?",
         "data_to_fill": {"name": {"required": True, "prompt": "What is your full name?", "order": 1},
                          "account_number": {"required": True, "prompt": "Please type your six digit account number.",
                                             "validation_pattern": "^[0-9]{6}$", "order": 2}},
         "keypad": {"9": "repeat", "0": "goodbye"}},
    ]
    create_agents(voice, *agents)
    return voice


def events(report, kind):
    return [e for e in report["events"] if e["type"] == kind]


def test_a_machine_gets_the_voicemail_with_the_name_from_past_calls(voice):
    to = "+15550200001"
    voice.scenario(to, ["Hi, my name is John Smith", "No, that's all. Bye!"])
    first = voice.make_call("vm-001", to).json()["call_sid"]
    voice.call_report(first)
    assert voice.final_record(first)["data_collected"] == {"name": "John Smith"}

    voice.scenario(to, ["Hello?"], answered_by="machine_end_beep")
    sid = voice.make_call("vm-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    assert events(report, "created")[0]["params"]["MachineDetection"] == "DetectMessageEnd"
    said = [e["text"] for e in events(report, "agent")]
    assert said == ["Hi John, this is Acme Orders calling about your order. Please call us back."]
    assert report["ended_by"] == "agent" and not events(report, "caller")
    record = voice.final_record(sid)
    assert record["outcome"] == "voicemail_left" and record["answered_by"] == "machine_end_beep"
    assert record["ended_by"] == "system_complete"
    assert [(m["role"], m["content"]) for m in record["conversation_history"]] == [("assistant", said[0])]
    day = record["started_at"][:10]
    figures = requests.get(f"{voice.stack.url}/analytics", params={"agent_id": "vm-001", "since": day, "until": day},
                           headers=operator_headers(), timeout=15).json()["agents"][0]["totals"]
    assert figures["voicemail_left"] == 1 and figures["answered_by_machine"] == 1 and figures["calls"] == 2


def test_without_a_name_the_placeholder_goes_and_without_a_message_the_agent_hangs_up(voice):
    voice.scenario("+15550200002", [], answered_by="machine_end_silence")
    sid = voice.make_call("vm-001", "+15550200002").json()["call_sid"]
    said = [e["text"] for e in events(voice.call_report(sid), "agent")]
    assert said == ["Hi, this is Acme Orders calling about your order. Please call us back."]

    voice.scenario("+15550200003", ["Hello?"], answered_by="machine_end_other")
    sid = voice.make_call("customer-support-001", "+15550200003").json()["call_sid"]
    report = voice.call_report(sid)
    assert not events(report, "agent") and report["ended_by"] == "agent"
    record = voice.final_record(sid)
    assert record["outcome"] == "machine_no_message" and record["conversation_history"] == []


def test_a_fax_gets_a_hang_up_and_unknown_gets_the_conversation(voice):
    voice.scenario("+15550200004", [], answered_by="fax")
    sid = voice.make_call("vm-001", "+15550200004").json()["call_sid"]
    assert not events(voice.call_report(sid), "agent")
    assert voice.final_record(sid)["outcome"] == "fax"

    voice.scenario("+15550200005", ["Hi, my name is Ann Lee", "No, that's all. Bye!"], answered_by="unknown")
    sid = voice.make_call("vm-001", "+15550200005").json()["call_sid"]
    report = voice.call_report(sid)
    assert "What is your full name?" in events(report, "agent")[0]["text"]
    record = voice.final_record(sid)
    assert "outcome" not in record and record["data_collected"] == {"name": "Ann Lee"}


def test_a_number_typed_on_the_keypad_and_the_menu_keys(voice):
    to = "+15550200006"
    voice.scenario(to, ["Hi, my name is John Smith", {"digits": "123456#"}, {"digits": "9"}, {"digits": "0"}])
    sid = voice.make_call("keys-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    assert report["errors"] == []
    said = [e["text"] for e in events(report, "agent")]
    assert "six digit account number" in said[1]
    assert said[3] == said[2]  # 9 repeats the last thing said
    assert report["ended_by"] == "agent"  # 0 is goodbye
    record = voice.final_record(sid)
    assert record["data_collected"] == {"name": "John Smith", "account_number": "123456"}
    assert record["ended_by"] == "user"
    users = [m["content"] for m in record["conversation_history"] if m["role"] == "user"]
    assert users[1] == "123456"


@pytest.mark.parametrize("change,field", [
    ({"keypad": {"10": "repeat"}}, "keypad"),
    ({"keypad": {"#": "repeat"}}, "keypad"),
    ({"keypad": {"1": "dance"}}, "keypad"),
    ({"voicemail_message": "x" * 1001}, "voicemail_message"),
    ({"voicemail_message": 42}, "voicemail_message"),
])
def test_bad_settings_are_refused_naming_the_field(voice, change, field):
    assert_agent_change_refused(voice, "keys-001", change, field)
