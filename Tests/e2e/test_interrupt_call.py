"""POST /interrupt-call/{call_sid}: the operator stops what a live call is
playing; Twilio (the simulator here) is sent a call update whose TwiML says the
operator's message, if any, and listens again with the turn loop's <Gather>.
What Twilio received is read from the simulator's log of updates, the call's
transcript from the live session and from DynamoDB with boto3."""
import socket
import urllib.parse

import pytest
import requests
from twilio.request_validator import RequestValidator

from conftest import module_stack, wait_until
from voice_helpers import API_KEY, Voice, local_env, parse_twiml

AGENT = "customer-support-001"
MESSAGE = "Sorry to cut in: this call is recorded for quality. Please go on."


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    return Voice(module_stack(request, tmp_path_factory, local_env()))


def interrupt(voice, sid, key=API_KEY, **kwargs):
    headers = dict(kwargs.pop("headers", {}))
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return requests.post(f"{voice.stack.url}/interrupt-call/{sid}", headers=headers, timeout=30, **kwargs)


def updates(voice):
    """Every call update the simulator's REST API received, refused ones included."""
    return requests.get(voice.sim + "/sim/updates", timeout=5).json()


def agent_config(voice):
    return voice.ddb.Table("VoiceAssistant_Agents").get_item(Key={"agent_id": AGENT})["Item"]


def gather_of(document):
    """(the <Gather> element, its nested <Say> texts) of a TwiML document."""
    root = parse_twiml(document)
    gathers = root.findall("Gather")
    assert len(gathers) == 1, document
    return gathers[0], [say.text for say in gathers[0].findall("Say")]


def events_after_update(voice, sid):
    events = voice.events(sid, timeout=0)["events"]
    marks = [i for i, event in enumerate(events) if event["type"] == "update"]
    assert len(marks) == 1, events
    return events[marks[0] + 1:]


def say_and_wait(voice, sid, line):
    seen = voice.events(sid, timeout=0)["next"]
    voice.say(sid, line)
    voice.wait_for_agent(sid, after=seen)


def test_a_message_is_said_then_the_agent_listens_and_the_call_goes_on_to_its_record(voice):
    sid = voice.live_call(AGENT, "+15550100701", ["Hi, my name is John Smith"])
    sent_before = len(updates(voice))

    response = interrupt(voice, sid, json={"message": MESSAGE})
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "call_sid": sid, "status": "in-progress"}
    # The transcript holds it at once, as the agent's line.
    transcript = voice.session(sid)["transcript"]
    assert (transcript[-1]["role"], transcript[-1]["content"]) == ("assistant", MESSAGE)

    # Twilio got one update (the simulator checks basic auth as on create) with
    # the message in the agent's voice inside the turn loop's <Gather>.
    sent = updates(voice)[sent_before:]
    assert [(u["sid"], u["status"]) for u in sent] == [(sid, 200)], sent
    gather, said = gather_of(sent[0]["params"]["Twiml"])
    agent = agent_config(voice)
    assert said == [MESSAGE]
    say = gather.find("Say")
    assert (say.get("voice"), say.get("language")) == (agent["voice"], agent["language"])
    action = urllib.parse.urlsplit(gather.get("action"))
    assert action.path == "/voice/process-speech" and gather.get("input") == "dtmf speech"
    assert gather.get("actionOnEmptyResult") == "true" and gather.get("language") == agent["language"]
    turn = urllib.parse.parse_qs(action.query)["turn"]
    assert turn[0].isdigit(), action

    # The callee hears the message, then its next line goes to that action,
    # signed, and the conversation carries on from where it was.
    wait_until(lambda: any(e["type"] == "agent" and e["text"] == MESSAGE for e in events_after_update(voice, sid)),
               what="the message heard")
    say_and_wait(voice, sid, "john at example dot com")
    after = events_after_update(voice, sid)
    turns = [e for e in after if e["type"] == "webhook" and e["kind"] == "voice"]
    assert turns[0]["url"] == gather.get("action") and turns[0]["status"] == 200, turns[0]
    say_and_wait(voice, sid, "My internet keeps dropping")
    voice.say(sid, "No, that's all. Bye!")
    report = voice.call_report(sid)
    assert report["errors"] == [] and report["status"] == "completed" and report["ended_by"] == "agent", report

    record = voice.final_record(sid)
    history = [(m["role"], m["content"]) for m in record["conversation_history"]]
    at = history.index(("assistant", MESSAGE))
    assert history[at + 1] == ("user", "john at example dot com"), history
    assert "email" in history[at - 1][1].lower(), history
    assert record["data_collected"]["email"] == "john@example.com"


def test_without_a_body_the_agent_just_listens_again_and_the_transcript_is_unchanged(voice):
    sid = voice.live_call(AGENT, "+15550100702", ["Hi, my name is Ann Lee"])
    before = voice.session(sid)
    sent_before = len(updates(voice))

    response = interrupt(voice, sid)
    assert response.status_code == 200, response.text
    sent = updates(voice)[sent_before:]
    assert [(u["sid"], u["status"]) for u in sent] == [(sid, 200)], sent
    gather, said = gather_of(sent[0]["params"]["Twiml"])
    assert said == [] and urllib.parse.urlsplit(gather.get("action")).path == "/voice/process-speech"
    assert voice.session(sid)["transcript"] == before["transcript"]

    say_and_wait(voice, sid, "ann at example dot com")
    turns = [e for e in events_after_update(voice, sid) if e["type"] == "webhook" and e["kind"] == "voice"]
    assert turns[0]["url"] == gather.get("action") and turns[0]["status"] == 200, turns[0]
    assert voice.session(sid)["data_collected"]["email"] == "ann@example.com"
    report = voice.hang_up(sid)
    assert report["errors"] == [], report


def test_bad_input_no_key_and_unknown_calls_send_nothing_and_change_nothing(voice):
    sid = voice.live_call(AGENT, "+15550100703", ["Hi, my name is Bo Chen"])
    before = voice.session(sid)
    sent_before = updates(voice)

    for key in (None, "wrong-key"):
        response = interrupt(voice, sid, key=key, json={"message": MESSAGE})
        assert response.status_code == 401 and response.json()["error"] == "unauthorized", response.text

    bad_bodies = [
        ("[1, 2]", "application/json", 400, "JSON object"),
        ('"hello"', "application/json", 400, "JSON object"),
        ("{not json", "application/json", 400, "JSON object"),
        ('{"message": 5}', "application/json", 400, "'message'"),
        ('{"message": ["hi"]}', "application/json", 400, "'message'"),
        ('{"message": "%s"}' % ("x" * 501), "application/json", 400, "'message'"),
        ('{"mesage": "hi"}', "application/json", 400, "'mesage'"),
        ("message=hi", "application/x-www-form-urlencoded", 415, "application/json"),
    ]
    for body, content_type, status, named in bad_bodies:
        response = interrupt(voice, sid, data=body, headers={"Content-Type": content_type})
        assert response.status_code == status, f"{body[:40]}: {response.status_code} {response.text}"
        assert set(response.json()) == {"error", "detail"} and named in response.json()["detail"], response.text

    for unknown in ("CA" + "0" * 32, "not-a-call-sid", "CA" + "1" * 600):
        response = interrupt(voice, unknown, json={"message": MESSAGE})
        assert response.status_code == 404, f"{unknown[:40]}: {response.status_code} {response.text}"
        assert response.json()["error"] == "not_found"

    assert updates(voice) == sent_before
    assert voice.session(sid) == before
    report = voice.hang_up(sid)
    assert report["errors"] == [] and not [e for e in report["events"] if e["type"] == "update"]

    # A finished call is not live: 404, and Twilio is not asked.
    wait_until(lambda: voice.session(sid) is None, what="the session finalized")
    response = interrupt(voice, sid, json={"message": MESSAGE})
    assert response.status_code == 404 and response.json()["error"] == "not_found", response.text
    assert updates(voice) == sent_before


def test_a_call_twilio_reported_over_is_not_live_while_its_finalization_waits(voice):
    sid = voice.live_call(AGENT, "+15550100704", ["Hi, my name is Cy Park"])
    voice.stack.ctl("stop", "worker:*")
    try:
        voice.hang_up(sid)
        wait_until(lambda: voice.stack.get("/sessions", headers={"Authorization": f"Bearer {API_KEY}"}).json()["count"] == 0,
                   what="the final status taken")
        sent_before = updates(voice)
        response = interrupt(voice, sid)
        assert response.status_code == 404, response.text
        assert updates(voice) == sent_before
    finally:
        voice.stack.ctl("start", "worker:*")
    voice.final_record(sid)


@pytest.mark.parametrize("refusal, status, error", [
    ({"status": 400, "code": 21220, "message": "Call is not in-progress. Cannot redirect."}, 409, "conflict"),
    ({"status": 404, "code": 20404, "message": "The requested resource was not found"}, 404, "not_found"),
    ({"status": 503, "code": 20503, "message": "Service Unavailable"}, 502, "bad_gateway"),
], ids=["not-in-progress", "unknown-to-twilio", "twilio-5xx"])
def test_twilio_refusing_the_update_is_mapped_and_changes_nothing(voice, refusal, status, error):
    to = {409: "+15550100705", 404: "+15550100706", 502: "+15550100707"}[status]
    sid = voice.live_call(AGENT, to, ["Hi, my name is Di Ross"], refuse_update=refusal)
    before = voice.session(sid)
    sent_before = len(updates(voice))

    response = interrupt(voice, sid, json={"message": MESSAGE})
    assert response.status_code == status and response.json()["error"] == error, response.text
    # Twilio was asked, and refused; the session is as it was.
    assert [(u["sid"], u["status"]) for u in updates(voice)[sent_before:]] == [(sid, refusal["status"])]
    assert voice.session(sid) == before
    report = voice.hang_up(sid)
    assert MESSAGE not in [e.get("text") for e in report["events"]]


def test_a_session_twilio_does_not_know_is_404_from_twilio(voice):
    """A live session here whose call Twilio has no record of (the simulator
    never placed it: its answer webhook was posted, signed, by the test)."""
    sid = "CA" + "4" * 32
    params = {"CallSid": sid, "AccountSid": "AC" + "0" * 32, "From": "+15550100708", "To": "+15550009999",
              "Direction": "inbound", "CallStatus": "ringing"}
    assert voice.signed_post("/voice/inbound", params).status_code == 200
    assert voice.session(sid) is not None
    sent_before = len(updates(voice))
    response = interrupt(voice, sid, json={"message": MESSAGE})
    assert response.status_code == 404 and "Twilio" in response.json()["detail"], response.text
    assert [(u["sid"], u["status"]) for u in updates(voice)[sent_before:]] == [(sid, 404)]


def test_twilio_unreachable_is_502_and_silent_is_504(make_stack):
    """Real Twilio settings pointed at a port that accepts connections and never
    answers (504 within the request's deadline), then at a closed one (502)."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    public_url, token = "https://voice.example.com", "interrupt-e2e-auth-token"
    voice = Voice(make_stack(local_env(
        LOCAL_TWILIO="false", PUBLIC_URL=public_url, TWILIO_AUTH_TOKEN=token, TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_API_BASE_URL=f"http://127.0.0.1:{port}", REQUEST_DEADLINE_MS="1500")))
    sid = "CA" + "5" * 32
    params = {"CallSid": sid, "AccountSid": "AC" + "0" * 32, "From": "+15550100709", "To": "+15550009999",
              "Direction": "inbound", "CallStatus": "ringing"}
    signature = RequestValidator(token).compute_signature(public_url + "/voice/inbound", params)
    assert voice.signed_post("/voice/inbound", params, signature=signature).status_code == 200
    before = voice.session(sid)
    try:
        response = interrupt(voice, sid, json={"message": MESSAGE})
        assert response.status_code == 504 and response.json()["error"] == "gateway_timeout", response.text
    finally:
        silent.close()
    response = interrupt(voice, sid, json={"message": MESSAGE})
    assert response.status_code == 502 and "could not be reached" in response.json()["detail"], response.text
    assert voice.session(sid) == before
