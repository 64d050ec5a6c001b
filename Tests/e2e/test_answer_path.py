"""Never keep Twilio waiting: the answer reads SessionDB only, deadlines count
from nginx's arrival, the worker coalesces session writes, and recordings are
fetched from Twilio's API alone. Real stack, real faults (a hung emulator,
stopped endpoint processes)."""
import concurrent.futures
import json
from datetime import datetime
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import free_port, freeze, wait_until
from voice_helpers import Voice, local_env, parse_twiml, spoken, voice_webhooks

ACCOUNT = "AC00000000000000000000000000000000"


def agent_greeting(voice, agent_id):
    return voice.ddb.Table("VoiceAssistant_Agents").get_item(Key={"agent_id": agent_id})["Item"]["greeting"]


def outbox_jobs(voice, sid=None):
    jobs = json.loads(voice.stack.voicectl("outbox", "--json").stdout)
    return [job for job in jobs if sid is None or job["subject"] == sid]


def outbox_counts(voice):
    return json.loads(voice.stack.voicectl("outbox", "--counts").stdout)


def test_fifty_answers_during_a_hung_dynamodb_greet_with_the_right_agent(make_stack):
    voice = Voice(make_stack(local_env()))
    greeting = agent_greeting(voice, "customer-support-001")
    # One ordinary call first: the agent is in the shared cache, as in production.
    voice.scenario("+15550300999", ["Bye!"])
    warm = voice.make_call("customer-support-001", "+15550300999").json()["call_sid"]
    voice.final_record(warm)

    lines = {f"+1555030{n:04d}": [f"My name is Caller Number{n}", "Bye!"] for n in range(50)}
    for to, said in lines.items():
        voice.scenario(to, said)
    queries_before = voice.dynamodb_operations()["Query"]
    moto = int(voice.stack.ctl("pid", "local-aws").stdout.strip())
    freeze(moto)  # DynamoDB hangs: connections accepted, never answered
    try:
        def make_call(to):
            response = voice.make_call("customer-support-001", to)
            return to, response, time.time()

        with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
            responses = list(pool.map(make_call, lines))
        sids, answered_at = {}, {}
        for to, response, at in responses:
            assert response.status_code == 200, response.text
            sids[response.json()["call_sid"]] = to
            answered_at[response.json()["call_sid"]] = at
        for sid, to in sids.items():
            report = voice.call_report(sid, timeout=60)
            hooks = voice_webhooks(report)
            assert hooks and all(hook["status"] == 200 for hook in hooks), report["errors"]
            assert report["errors"] == [], report["errors"]
            assert spoken(report, "agent")[0].startswith(greeting), spoken(report, "agent")[0]
            assert spoken(report, "caller") == lines[to], report
        # Each answer came while make-call was still waiting on DynamoDB for the
        # past calls (it dialled after PAST_CALLS_BUDGET_MS), and went on without them.
        early = [line for line in voice.stack.log_lines("voice-outbound")
                 if line.get("message") == "answered before the past calls were fetched"]
        assert set(sids) <= {line["call_sid"] for line in early}
        # make-call answered the operator before its second try at the Query,
        # which went on after the answer (and ran out of time on the hung emulator).

        def placed_lines():
            found = {line["call_sid"]: line for line in voice.stack.log_lines("make-call")
                     if line.get("message") == "call placed" and line.get("call_sid") in sids}
            return found if len(found) == len(sids) else None

        placed = wait_until(placed_lines, what="a 'call placed' line for every call")
        for sid, line in placed.items():
            assert line["past_calls"] == "0", line
            logged = datetime.fromisoformat(line["time"].replace("Z", "+00:00")).timestamp()
            assert logged > answered_at[sid], (line, answered_at[sid])
    finally:
        os.kill(moto, signal.SIGCONT)
    for sid, to in sids.items():
        record = voice.final_record(sid, timeout=180)
        assert record["agent_id"] == "customer-support-001"
        assert record["recipient_phone"] == to
        assert [m["content"] for m in record["conversation_history"] if m["role"] == "user"] == lines[to]
        assert record["status"] == "completed" and record["ended_by"] == "user"
    # make-call gave up waiting for its Query but did not abandon it: one Query
    # per call reached DynamoDB, not a second one asking the same again.
    assert voice.dynamodb_operations()["Query"] - queries_before <= len(lines)


def test_a_request_queued_past_its_deadline_is_answered_from_sessiondb(make_stack):
    voice = Voice(make_stack(local_env(WEBHOOK_DEADLINE_MS="500")))
    voice.stack.voicectl("numbers", "assign", "+15550007777", "--agent", "sales-001")
    # A first call fills the shared caches: the number's agent and the agent.
    first = voice.inbound("+15550401000", "+15550007777", ["Bye!"])
    assert spoken(voice.call_report(first), "agent")[0].startswith(agent_greeting(voice, "sales-001"))

    stopped = voice.stack.pids("voice-inbound")
    for pid in stopped:
        freeze(pid)  # every thread of the endpoint is unavailable

    def answer(n, to):
        params = {"CallSid": f"CAqueued{n:04d}", "AccountSid": ACCOUNT, "From": f"+1555041{n:04d}", "To": to,
                  "CallStatus": "ringing", "Direction": "inbound"}
        return voice.signed_post("/voice/inbound", params)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            cached = [pool.submit(answer, n, "+15550007777") for n in range(4)]
            unknown = [pool.submit(answer, n + 4, "+15550008888") for n in range(2)]
            # The requests wait in the socket's queue for longer than their deadline:
            # the length of the stall being simulated, not a synchronisation.
            time.sleep(1.0)
            for pid in stopped:
                os.kill(pid, signal.SIGCONT)
            stopped = []
            cached = [future.result() for future in cached]
            unknown = [future.result() for future in unknown]
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)
    # Answered, not dropped: the cached assignment and agent for the number we know,
    # the built-in default where nothing was cached (no time was left to ask DynamoDB).
    for response in cached:
        assert response.status_code == 200
        say = parse_twiml(response.text).find("Gather").find("Say").text
        assert say.startswith(agent_greeting(voice, "sales-001")), say
    for response in unknown:
        assert response.status_code == 200
        say = parse_twiml(response.text).find("Gather").find("Say").text
        assert say.startswith(agent_greeting(voice, "default")), say
    late = [line for line in voice.stack.log_lines("voice-inbound") if line.get("message") == "request taken after its deadline"]
    assert len(late) == 6, late
    assert all(int(line["waited_ms"]) >= 500 for line in late)


def test_session_writes_coalesce_and_keep_the_newest_transcript(make_stack):
    voice = Voice(make_stack(local_env(SESSION_SYNC_FREQUENCY="1")))
    voice.stack.ctl("stop", "worker:*")
    lines = ["My name is Ada Lovelace", "ada at example dot com", "The engine stops", "What time is it?",
             "Can you repeat that?"]
    sid = voice.live_call("customer-support-001", "+15550500100", lines)
    # A sync was asked for after every message; one write of the session waits.
    jobs = outbox_jobs(voice, sid)
    assert [job["kind"] for job in jobs] == ["create-record"], jobs
    assert jobs[0]["merged"] == len(lines)
    assert outbox_counts(voice)["coalesced"] == len(lines)

    voice.stack.ctl("start", "worker:*")
    record = wait_until(lambda: voice.call_record(sid), what="call record")
    assert len(record["conversation_history"]) == 1 + 2 * len(lines)
    wait_until(lambda: outbox_jobs(voice, sid) == [], what="the outbox to drain")

    voice.stack.ctl("stop", "worker:*")
    more = ["One more thing", "And another one"]
    for line in more:
        seen = len(voice.events(sid)["events"])
        voice.say(sid, line)
        voice.wait_for_agent(sid, after=seen)
    voice.hang_up(sid)
    # The final status makes the pending sync moot: only the finalization (and
    # the recording's archiving) waits.
    wait_until(lambda: sorted(job["kind"] for job in outbox_jobs(voice, sid)) == ["finalize", "recording"],
               what="finalize and recording alone")
    assert outbox_counts(voice)["moot"] >= 1
    voice.stack.ctl("start", "worker:*")
    record = voice.final_record(sid)
    users = [m["content"] for m in record["conversation_history"] if m["role"] == "user"]
    assert users == lines + more
    assert len(record["conversation_history"]) == 1 + 2 * len(lines + more)


class CountingHandler(BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):
        CountingHandler.requests.append((self.path, self.headers.get("Authorization")))
        self.send_response(200)
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"RIFF")

    def log_message(self, *args):
        pass


def test_recordings_are_fetched_from_twilio_only(make_stack):
    voice = Voice(make_stack(local_env()))
    elsewhere = ThreadingHTTPServer(("127.0.0.1", free_port()), CountingHandler)
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    try:
        foreign = f"http://127.0.0.1:{elsewhere.server_port}/2010-04-01/Accounts/{ACCOUNT}/Recordings/REforeign"
        sid = voice.live_call("customer-support-001", "+15550600100", ["My name is Eve Example"])
        refused = voice.signed_post("/recording-status", {
            "CallSid": sid, "AccountSid": ACCOUNT, "RecordingSid": "REforeign", "RecordingUrl": foreign,
            "RecordingStatus": "completed"})
        assert refused.status_code == 400
        assert "RecordingUrl" in refused.json()["detail"]
        assert [job["kind"] for job in outbox_jobs(voice, sid) if job["kind"] == "recording"] == []

        voice.stack.ctl("stop", "worker:*")
        status = voice.signed_post("/call-status", {
            "CallSid": sid, "AccountSid": ACCOUNT, "CallStatus": "completed", "CallDuration": "7",
            "RecordingSid": "REforeign", "RecordingUrl": foreign})
        assert status.status_code == 200
        assert [job["payload"].get("recording_url") for job in outbox_jobs(voice, sid)] == [None]
        voice.stack.ctl("start", "worker:*")
        record = voice.final_record(sid)
        assert "call_recording_url" not in record and "s3_recording_url" not in record
        wait_until(lambda: outbox_jobs(voice) == [], what="the outbox to drain")
        assert CountingHandler.requests == [], "our credentials went to another host"
    finally:
        elsewhere.shutdown()
        voice.say(sid, hangup=True)
