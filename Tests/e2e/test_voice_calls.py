"""The voice call loop against the real stack: make-call through the Twilio
simulator, signed webhooks, the rule engine, SessionDB, DynamoDB (the emulator)."""
import concurrent.futures
import json
import subprocess

import requests

from conftest import BIN_DIR, ROOT, wait_until
from voice_helpers import API_KEY, parse_twiml, spoken, voice, voice_webhooks  # noqa: F401 (fixture)

SUPPORT_LINES = [
    "Hi, my name is John Smith",
    "john at example dot com",
    "My internet keeps dropping every evening",
    "No, that's all, thanks. Bye!",
]


def run_call(voice, agent, to, lines, **options):
    voice.scenario(to, lines, **options)
    response = voice.make_call(agent, to)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["agent_id"] == agent and body["to"] == to
    assert body["call_sid"].startswith("CA")
    return body["call_sid"], voice.call_report(body["call_sid"])


def test_scripted_customer_support_call(voice):
    sid, report = run_call(voice, "customer-support-001", "+15550100199", SUPPORT_LINES)
    assert report["errors"] == []
    assert report["ended_by"] == "agent"  # the agent said goodbye and hung up
    webhooks = voice_webhooks(report)
    assert len(webhooks) == 5  # the answer and four turns
    for hook in webhooks:
        assert hook["status"] == 200
        assert hook["content_type"].startswith("text/xml")
        root = parse_twiml(hook["body"])
        says = root.findall(".//Say")
        assert says, hook["body"]
        for say in says:
            assert say.get("voice") == "Polly.Joanna"
            assert say.get("language") == "en-US"
    # Every turn but the last listens for speech and posts to process-speech.
    for hook in webhooks[:-1]:
        gather = parse_twiml(hook["body"]).find("Gather")
        assert gather is not None and gather.get("input") == "dtmf speech"
        assert "/voice/process-speech" in gather.get("action")
    assert parse_twiml(webhooks[-1]["body"]).find("Hangup") is not None

    agent_lines = spoken(report, "agent")
    assert "full name" in agent_lines[0].lower()
    assert "john@example.com" in " ".join(agent_lines)

    # What the caller heard is what the worker stored, field by field.
    record = voice.final_record(sid)
    assert record["data_collected"] == {
        "name": "John Smith", "email": "john@example.com", "issue": "My internet keeps dropping every evening"}
    transcript = record["conversation_history"]
    assert [m["role"] for m in transcript] == ["assistant", "user"] * 4 + ["assistant"]
    assert [m["content"] for m in transcript if m["role"] == "user"] == SUPPORT_LINES
    assert [m["content"] for m in transcript if m["role"] == "assistant"] == agent_lines
    assert record["agent_id"] == "customer-support-001"
    assert record["recipient_phone"] == "+15550100199"
    assert record["ended_by"] == "user"  # the caller said goodbye; the agent then hung up
    assert record["agent_recipient_key"].startswith("customer-support-001#+15550100199#")


def test_second_call_sees_the_first(voice):
    first, _ = run_call(voice, "customer-support-001", "+15550100200", SUPPORT_LINES)
    voice.final_record(first)
    second = voice.live_call("customer-support-001", "+15550100200", ["Hello again"])
    assert [past["call_sid"] for past in voice.session(second)["past_calls"]] == [first]
    voice.hang_up(second)
    # A call to another number does not.
    other = voice.live_call("customer-support-001", "+15550100201")
    assert voice.session(other)["past_calls"] == []
    voice.hang_up(other)


def test_inbound_call_reaches_the_assigned_agent(voice):
    subprocess.run([f"{BIN_DIR}/voicectl", "numbers", "assign", "+15550002222", "--agent", "sales-001"],
                   env=voice.stack.env, cwd=ROOT, check=True, capture_output=True)
    sid = voice.inbound("+15557770001", "+15550002222", ["My name is Priya Patel", "bye"])
    report = voice.call_report(sid)
    first = voice_webhooks(report)[0]
    assert first["url"].endswith("/voice/inbound")
    assert parse_twiml(first["body"]).find(".//Say").get("voice") == "Polly.Matthew"
    record = voice.final_record(sid)
    assert record["agent_id"] == "sales-001"
    assert record["direction"] == "inbound"
    assert record["recipient_phone"] == "+15557770001"  # the customer, whichever way the call went
    assert record["caller_phone"] == "+15550002222"
    # An unassigned number gets the default agent.
    sid = voice.inbound("+15557770002", "+15550003333", ["bye"])
    voice.call_report(sid)
    assert voice.final_record(sid)["agent_id"] == "default"


def test_hindi_agent_speaks_hindi(voice):
    sid, report = run_call(voice, "hindi-support-001", "+15550100300", ["मेरा नाम राहुल शर्मा है", "अलविदा"])
    for hook in voice_webhooks(report):
        for say in parse_twiml(hook["body"]).findall(".//Say"):
            assert say.get("voice") == "Polly.Aditi" and say.get("language") == "hi-IN"
    assert any("\u0900" <= ch <= "\u097f" for ch in spoken(report, "agent")[0])


def test_forged_webhooks_are_refused_and_change_nothing(voice):
    # The call stays live, so nothing but a forged request could change its session.
    sid = voice.live_call("customer-support-001", "+15550100400", ["My name is Ann Lee"])
    before = voice.session(sid)
    assert before["data_collected"] == {"name": "Ann Lee"}
    turn = {"CallSid": sid, "SpeechResult": "my email is ann at example dot com", "Confidence": "0.95"}
    for signature in ("", "bm90IGEgc2lnbmF0dXJl", voice.validator.compute_signature("http://evil.example/x", turn)):
        response = voice.signed_post("/voice/process-speech", turn, signature=signature)
        assert response.status_code == 403, response.text
        assert response.json()["error"] == "forbidden"
    # Signed for other parameters than those sent.
    good = voice.validator.compute_signature(voice.stack.url + "/voice/process-speech", dict(turn, SpeechResult="x"))
    assert voice.signed_post("/voice/process-speech", turn, signature=good).status_code == 403
    assert voice.session(sid) == before
    # The same turn, signed, is taken: the refusals above were the signature's doing.
    assert voice.signed_post("/voice/process-speech", turn).status_code == 200
    assert voice.session(sid)["data_collected"]["email"] == "ann@example.com"
    voice.hang_up(sid)

    fake = "CA" + "f" * 32
    answer = {"CallSid": fake, "From": "+15550009999", "To": "+15550100401", "Direction": "outbound-api"}
    response = voice.signed_post("/voice/outbound", answer, signature="bad", query="agent_id=sales-001")
    assert response.status_code == 403
    assert voice.session(fake) is None
    assert voice.call_record(fake) is None
    assert voice.signed_post("/call-status", dict(answer, CallStatus="completed"), signature="").status_code == 403


def test_operator_endpoints_need_the_api_key(voice):
    assert voice.make_call("sales-001", "+15550100500", key=None).status_code == 401
    wrong = voice.make_call("sales-001", "+15550100500", key="not-the-key")
    assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized"
    sid = voice.live_call("sales-001", "+15550100501")
    for path in ("/sessions", f"/session/{sid}"):
        for headers in ({}, {"Authorization": "Bearer not-the-key"}, {"Authorization": f"Basic {API_KEY}"},
                        {"Authorization": f"Bearer {API_KEY}x"}):
            response = voice.stack.get(path, headers=headers)
            assert response.status_code == 401, (path, headers, response.status_code, response.text)
            assert response.json()["error"] == "unauthorized" and response.json()["detail"]
            assert sid not in response.text  # nothing of the call is shown
        assert voice.stack.get(path, headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200
    voice.hang_up(sid)


def test_sessions_lists_the_live_calls_with_their_fields_and_not_ended_ones(voice):
    headers = {"Authorization": f"Bearer {API_KEY}"}

    def listing():
        response = voice.stack.get("/sessions", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["count"] == len(body["sessions"])
        return body["sessions"]

    # A call that ended before is not listed.
    ended, _ = run_call(voice, "customer-support-001", "+15550100610", ["No, that's all, thanks. Bye!"])
    voice.final_record(ended)
    outbound = voice.live_call("customer-support-001", "+15550100611", ["Hi, my name is Ann Lee"])
    inbound = voice.inbound("+15557770612", "+15550003612", [], interactive=True)
    voice.wait_for_agent(inbound)

    listed = {entry["call_sid"]: entry for entry in listing()}
    assert set(listed) == {outbound, inbound}
    names = {agent: voice.ddb.Table("VoiceAssistant_Agents").get_item(Key={"agent_id": agent})["Item"]["name"]
             for agent in ("customer-support-001", "default")}
    expected = {
        outbound: {"agent_id": "customer-support-001", "agent_name": names["customer-support-001"],
                   "direction": "outbound", "to": "+15550100611", "from": "+15550009999", "messages": 3,
                   "phase": "collecting", "data_collected": {"name": "Ann Lee"}},
        inbound: {"agent_id": "default", "agent_name": names["default"], "direction": "inbound",
                  "to": "+15550003612", "from": "+15557770612", "messages": 1, "phase": "collecting",
                  "data_collected": {}},
    }
    for sid, fields in expected.items():
        entry = listed[sid]
        assert set(entry) == {"call_sid", "agent_id", "agent_name", "direction", "to", "from", "started_at",
                              "last_activity_at", "messages", "phase", "data_collected"}, entry
        assert {key: entry[key] for key in fields} == fields, entry
        # The summary agrees with the whole session.
        whole = voice.session(sid)
        assert entry["messages"] == len(whole["transcript"])
        assert (entry["started_at"], entry["last_activity_at"]) == (whole["started_at"], whole["last_activity_at"])
        assert entry["started_at"] <= entry["last_activity_at"]
    # Newest first.
    assert [entry["call_sid"] for entry in listing()] == [inbound, outbound]

    # Once a call has ended and been recorded, it is gone from the list; the other stays.
    voice.hang_up(outbound)
    voice.final_record(outbound)
    wait_until(lambda: [entry["call_sid"] for entry in listing()] == [inbound], what="the ended call unlisted")
    voice.hang_up(inbound)
    voice.final_record(inbound)
    wait_until(lambda: listing() == [], what="no live call listed")


def test_sessions_does_not_list_a_call_that_ended_while_its_finalization_waits(voice):
    """Twilio said the call is over (a final status), but the worker has not
    finalized it yet (it is down here; in production: busy, or DynamoDB is out
    and finalization retries for as long as the outage lasts): it is not live."""
    headers = {"Authorization": f"Bearer {API_KEY}"}
    sid = voice.live_call("customer-support-001", "+15550100620", ["Hi, my name is Ann Lee"])
    voice.stack.ctl("stop", "worker:*")
    try:
        voice.hang_up(sid)

        def finalize_waiting():
            jobs = json.loads(voice.stack.voicectl("outbox", "--json").stdout)
            return any(job["kind"] == "finalize" and job["subject"] == sid for job in jobs)
        wait_until(finalize_waiting, what="the call's final status taken")
        listed = voice.stack.get("/sessions", headers=headers).json()["sessions"]
        assert sid not in [entry["call_sid"] for entry in listed], listed
    finally:
        voice.stack.ctl("start", "worker:*")
    voice.final_record(sid)


def test_bad_operator_input_gets_clear_4xx(voice):
    table = voice.ddb.Table("VoiceAssistant_Agents")
    agent = table.get_item(Key={"agent_id": "sales-001"})["Item"]
    table.put_item(Item=dict(agent, agent_id="retired-001", status="inactive"))
    cases = [
        ({"agent_id": "no-such-agent", "to_number": "+15550100600"}, 404, "does not exist"),
        ({"agent_id": "retired-001", "to_number": "+15550100600"}, 409, "inactive"),
        ({"agent_id": "sales-001", "to_number": "555-CALL-NOW"}, 400, "E.164"),
        ({"agent_id": "sales-001"}, 400, "missing field 'to_number'"),
        ({"to_number": "+15550100600"}, 400, "missing field 'agent_id'"),
        ({"agent_id": 7, "to_number": "+15550100600"}, 400, "must be a string"),
    ]
    headers = {"Authorization": f"Bearer {API_KEY}"}
    for body, status, words in cases:
        response = requests.post(voice.stack.url + "/make-call", json=body, headers=headers, timeout=15)
        assert response.status_code == status, (body, response.text)
        assert words in response.json()["detail"], response.text
    malformed = requests.post(voice.stack.url + "/make-call", data="{not json", timeout=15,
                              headers=dict(headers, **{"Content-Type": "application/json"}))
    assert malformed.status_code == 400 and malformed.json()["detail"] == "the body is not valid JSON"


def test_hostile_speech_and_unknown_calls_get_clean_twiml(voice):
    sid = voice.inbound("+15557770003", "+15550004444", [], interactive=True)
    voice.wait_for_agent(sid)
    for speech in ["x" * 10_000, "</Say><Hangup/> & <Redirect>http://evil</Redirect> \"quoted\" 'single'"]:
        turn = {"CallSid": sid, "SpeechResult": speech, "Confidence": "0.9"}
        response = voice.signed_post("/voice/process-speech", turn)
        assert response.status_code == 200
        root = parse_twiml(response.text)
        assert root.find(".//Redirect") is None or "evil" not in root.find(".//Redirect").text
        assert all("evil" not in (say.text or "") or "&" not in say.text for say in root.iter("Say"))
    transcript = voice.session(sid)["transcript"]
    assert transcript[-2]["content"].startswith("</Say>")  # kept as text, never as markup
    voice.say(sid, hangup=True)

    unknown = {"CallSid": "CA" + "0" * 32, "SpeechResult": "hello", "Confidence": "0.9"}
    response = voice.signed_post("/voice/process-speech", unknown)
    assert response.status_code == 200
    root = parse_twiml(response.text)
    assert root.find("Say") is not None and root.find("Hangup") is not None
    missing = voice.signed_post("/voice/process-speech", {"SpeechResult": "hello"})
    assert missing.status_code == 200 and parse_twiml(missing.text).find("Hangup") is not None


def test_answer_and_turns_never_touch_dynamodb(voice):
    # The worker writes records and syncs by design; stopped, what remains is the endpoints' own traffic.
    voice.stack.ctl("stop", "worker:*")
    before = len(voice.dynamodb_requests())
    sid = voice.live_call("customer-support-001", "+15550100700")
    seen = len(voice.events(sid)["events"])
    for line in ["My name is Max Mustermann", "max at example dot com", "The router is broken", "What time is it?"]:
        voice.say(sid, line)
        seen = voice.wait_for_agent(sid, after=seen)
    # make-call's one Query for past calls (and a GetItem if the agent was not
    # cached yet); the answer and the four turns read and wrote SessionDB only.
    assert voice.dynamodb_requests()[before:] in (["Query"], ["GetItem", "Query"])
    assert len(voice.session(sid)["transcript"]) == 9
    assert voice.call_record(sid) is None, "the record is the worker's to write"
    # The worker, back, creates the record with what the call holds so far.
    voice.stack.ctl("start", "worker:*")
    record = wait_until(lambda: voice.call_record(sid), what="call record")
    assert record["agent_id"] == "customer-support-001" and record["status"] == "in-progress"
    assert len(record["conversation_history"]) >= 5
    voice.say(sid, hangup=True)


def test_fifty_concurrent_calls_keep_their_own_transcripts(voice):
    calls = {}
    for n in range(50):
        to = f"+1555020{n:04d}"
        lines = [f"My name is Caller Number{n}", f"caller{n} at example dot com", f"issue report {n} line 3"] + \
                [f"call {n} extra line {i}" for i in range(4, 11)]
        voice.scenario(to, lines)
        calls[to] = lines

    def place(to):
        response = voice.make_call("customer-support-001", to)
        assert response.status_code == 200, response.text
        return to, response.json()["call_sid"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        placed = list(pool.map(place, calls))
    for to, sid in placed:
        report = voice.call_report(sid, timeout=120)
        assert report["errors"] == [], report["errors"]
        heard = [e["text"] for e in report["events"] if e["type"] == "caller" and "text" in e]
        assert heard == calls[to], f"{sid}: {heard}"
        # The transcript the worker stored is this call's and no other's.
        record = voice.final_record(sid, timeout=120)
        stored = [m["content"] for m in record["conversation_history"] if m["role"] == "user"]
        assert stored == calls[to], f"{sid}: {stored}"
    assert len({sid for _, sid in placed}) == 50


def test_malformed_webhook_bodies_get_4xx_never_5xx(voice):
    url = voice.stack.url + "/voice/process-speech"
    broken = requests.post(url, data="CallSid=CA1&SpeechResult=%zz", timeout=10,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert broken.status_code == 400
    assert parse_twiml(broken.text).find("Hangup") is not None  # Twilio hears an apology, not an error
    wrong_type = requests.post(url, data='{"CallSid": "CA1"}', timeout=10, headers={"Content-Type": "application/json"})
    assert wrong_type.status_code == 415
    status = requests.post(voice.stack.url + "/call-status", data="CallSid=%", timeout=10,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status.status_code == 400 and status.json()["error"] == "bad_request"
    bad_status = voice.signed_post("/call-status", {"CallSid": "CA" + "1" * 32, "CallStatus": "exploded"})
    assert bad_status.status_code == 400 and "CallStatus must be one of" in bad_status.json()["detail"]
