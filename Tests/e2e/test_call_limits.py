"""Per-agent limits on a call: `max_duration_seconds` is Twilio's TimeLimit and
the agent wraps up politely in the turn that crosses 90 % of it; `max_turns`
closes the call like VOICE_MAX_TURNS, for that agent alone."""
import pytest

from conftest import module_stack
from voice_helpers import Voice, assert_agent_change_refused, create_agents, local_env


def agent(agent_id, **limits):
    return dict({
        "agent_id": agent_id, "name": agent_id, "prompt": "Collect name, email and issue.", "voice": "Polly.Joanna",
        "language": "en-US", "greeting": "Hello, this is support. What is your full name?",
        "data_to_fill": {"name": {"required": True, "prompt": "What is your full name?"},
                         "email": {"required": True, "prompt": "What is your email?"},
                         "issue": {"required": True, "prompt": "What is the issue?"}},
    }, **limits)


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    voice = Voice(module_stack(request, tmp_path_factory, local_env()))
    create_agents(voice, agent("timed-001", max_duration_seconds=20), agent("brief-001", max_turns=2))
    return voice



def spoken(report, who):
    return [e["text"] for e in report["events"] if e["type"] == who and "text" in e]


def test_the_time_limit_goes_to_twilio_and_the_agent_wraps_up_before_it(voice):
    to = "+15550190001"
    # The second answer comes 18.6 s in: past 90 % of 20 s, before Twilio's cut at 20 s.
    voice.scenario(to, ["Hi, my name is John Smith", {"say": "john at example dot com", "pause": 18.6}, "More"])
    sid = voice.make_call("timed-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    created = next(e for e in report["events"] if e["type"] == "created")
    assert created["params"]["TimeLimit"] == "20"
    assert report["ended_by"] == "agent"
    assert not [e for e in report["events"] if e["type"] == "time-limit"]
    last = spoken(report, "agent")[-1]
    assert "run out of time" in last
    record = voice.final_record(sid)
    assert record["ended_by"] == "system_timeout"
    assert record["data_collected"] == {"name": "John Smith", "email": "john@example.com"}
    assert [m["content"] for m in record["conversation_history"] if m["role"] == "user"] == [
        "Hi, my name is John Smith", "john at example dot com"]


def test_an_agent_without_a_limit_keeps_twilios_default(voice):
    to = "+15550190002"
    voice.scenario(to, ["Hi, my name is John Smith", "No, that's all. Bye!"])
    sid = voice.make_call("customer-support-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    created = next(e for e in report["events"] if e["type"] == "created")
    assert created["params"]["TimeLimit"] == "1800"


def test_max_turns_closes_the_call_for_that_agent(voice):
    to = "+15550190003"
    voice.scenario(to, ["Hi, my name is John Smith", "john at example dot com", "My internet keeps dropping"])
    sid = voice.make_call("brief-001", to).json()["call_sid"]
    report = voice.call_report(sid)
    assert report["ended_by"] == "agent"
    assert "run out of time" in spoken(report, "agent")[-1]
    record = voice.final_record(sid)
    assert record["ended_by"] == "system_timeout"
    assert len([m for m in record["conversation_history"] if m["role"] == "user"]) == 2


@pytest.mark.parametrize("change,field", [
    ({"max_duration_seconds": 5}, "max_duration_seconds"),
    ({"max_duration_seconds": 14401}, "max_duration_seconds"),
    ({"max_duration_seconds": "long"}, "max_duration_seconds"),
    ({"max_turns": 0}, "max_turns"),
    ({"max_turns": 501}, "max_turns"),
])
def test_bad_limits_are_refused_naming_the_field(voice, change, field):
    assert_agent_change_refused(voice, "timed-001", change, field)
