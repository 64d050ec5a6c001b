"""Never lose a word: the outbox worker against the real stack, with faults
injected for real (a hung DynamoDB, killed processes, a recording that is not
ready, repeated and early callbacks, a missing bucket)."""
import base64
import json
import os
import random
import signal
import subprocess
import threading
import time

import requests

from conftest import BIN_DIR, ROOT, freeze, wait_until
from voice_helpers import AUTH_TOKEN, Voice, local_env, parse_twiml, spoken, voice_webhooks

SUPPORT = ["Hi, my name is John Smith", "john at example dot com", "My internet keeps dropping every evening"]


NAMES = ["Alice", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kavya",
         "Liam", "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq"]


def caller_name(n):
    return NAMES[n % len(NAMES)] + " Tester"


def twelve_turns(n=0):
    first = NAMES[n % len(NAMES)].lower()
    chatter = [f"one more thing number {i} for call {n}" for i in range(1, 9)]
    return [f"My name is {caller_name(n)}", f"{first} at example dot com", f"the modem {n} blinks red"] \
        + chatter + ["No, that's all, thanks. Bye!"]


def expected_syncs(turns, frequency=5):
    """The product's rule: a sync each time SESSION_SYNC_FREQUENCY messages have
    accumulated (checked after the greeting and after every turn, each turn
    adding two), plus one as soon as the agent ends the call."""
    pending, syncs = 1, 0
    if pending >= frequency:
        syncs, pending = syncs + 1, 0
    for turn in range(1, turns + 1):
        pending += 2
        if pending >= (1 if turn == turns else frequency):
            syncs, pending = syncs + 1, 0
    return syncs


def request_body(entry):
    body = entry.get("body") or ""
    return base64.b64decode(body).decode("utf-8", "replace") if entry.get("body_encoded") else body


def dynamodb_writes_for(voice, sid):
    """UpdateItem requests about one call, from the emulator's request log, by kind."""
    kinds = {"sync": 0, "finalize": 0, "recording": 0, "put": 0}
    for entry in voice.emulator_requests():
        target = entry.get("headers", {}).get("X-Amz-Target", "")
        body = request_body(entry)
        if sid not in body:
            continue
        if target.endswith("PutItem"):
            kinds["put"] += 1
        elif target.endswith("UpdateItem"):
            if "if_not_exists(ended_at" in body:
                kinds["finalize"] += 1
            elif "sync_version < :version" in body:
                kinds["sync"] += 1
            else:
                kinds["recording"] += 1
    return kinds


def served_recording(voice, report):
    url = report["recording"]["url"] + ".wav"
    auth = base64.b64encode(f"AC00000000000000000000000000000000:{AUTH_TOKEN}".encode()).decode()
    return requests.get(url, headers={"Authorization": f"Basic {auth}"}, timeout=10).content


def test_twelve_turn_call_yields_a_complete_final_record(make_stack):
    voice = Voice(make_stack(local_env()))
    lines = twelve_turns()
    voice.scenario("+15550300001", lines)
    sid = voice.make_call("customer-support-001", "+15550300001").json()["call_sid"]
    report = voice.call_report(sid)
    assert report["errors"] == []
    record = voice.final_record(sid)
    record = wait_until(lambda: (r := voice.call_record(sid)) and r.get("s3_recording_url") and r, what="recording")

    heard = [(e["type"], e["text"]) for e in report["events"] if e["type"] in ("agent", "caller") and "text" in e]
    stored = [("agent" if m["role"] == "assistant" else "caller", m["content"]) for m in record["conversation_history"]]
    assert stored == heard  # every word, in order
    assert len(stored) == 2 * len(lines) + 1
    assert record["message_count"] == len(stored)
    assert record["data_collected"] == {"name": "Alice Tester", "email": "alice@example.com",
                                        "issue": "the modem 0 blinks red"}
    assert record["ended_by"] == "user"
    assert record["duration_seconds"] >= 1
    assert record["call_recording_url"] == report["recording"]["url"]
    assert record["s3_recording_url"] == f"s3://voice-assistant-recordings/recordings/{sid}.wav"

    obj = voice.s3.get_object(Bucket="voice-assistant-recordings", Key=f"recordings/{sid}.wav")
    assert obj["ServerSideEncryption"] == "AES256"
    assert obj["Body"].read() == served_recording(voice, report)

    writes = dynamodb_writes_for(voice, sid)
    # A sync still pending when a newer one or the finalization came was merged
    # into it, never sent: at most one per SESSION_SYNC_FREQUENCY messages.
    assert writes["sync"] <= expected_syncs(len(lines))
    assert writes["finalize"] == 1
    # The record is created once: by its own PutItem after the answer, or, when
    # the whole call was over before the worker came to that job (the simulator
    # talks without pauses: a dozen turns can take 30 ms), by the finalization,
    # which makes a creation still pending moot and writes the call's identity.
    assert writes["put"] <= 1
    assert {k: record[k] for k in ("agent_id", "recipient_phone", "direction")} == \
        {"agent_id": "customer-support-001", "recipient_phone": "+15550300001", "direction": "outbound"}
    assert record["agent_recipient_key"].startswith("customer-support-001#+15550300001#") and record["started_at"]
    wait_until(lambda: voice.session(sid) is None, what="the session to be retired")


def test_calls_go_on_through_a_dynamodb_outage(make_stack):
    voice = Voice(make_stack(local_env()))
    calls = {}
    for n in range(20):
        to = f"+1555031{n:04d}"
        voice.scenario(to, [], interactive=True)
        sid = voice.make_call("customer-support-001", to).json()["call_sid"]
        calls[sid] = n
    for sid in calls:
        voice.wait_for_agent(sid)
    said = {sid: [] for sid in calls}

    def turn(sid, line):
        seen = len(voice.events(sid)["events"])
        voice.say(sid, line)
        said[sid].append(line)
        voice.wait_for_agent(sid, after=seen)

    for sid, n in calls.items():
        turn(sid, f"My name is {caller_name(n)}")
    moto = voice.stack.ctl("pid", "local-aws").stdout.strip()
    freeze(int(moto))  # DynamoDB and S3 hang: the worst way to fail
    try:
        outage_started = time.monotonic()
        for sid, n in calls.items():
            turn(sid, f"{NAMES[n].lower()} at example dot com")
            turn(sid, f"issue of call {sid}")
        for sid in list(calls)[:10]:  # half the calls end during the outage
            voice.say(sid, "No, that's all, thanks. Bye!")
            said[sid].append("No, that's all, thanks. Bye!")
            voice.call_report(sid, timeout=30)
        time.sleep(max(0, 30 - (time.monotonic() - outage_started)))  # the outage lasts 30 s
    finally:
        os.kill(int(moto), signal.SIGCONT)
    for sid in list(calls)[10:]:
        voice.say(sid, "No, that's all, thanks. Bye!")
        said[sid].append("No, that's all, thanks. Bye!")
    for sid in calls:
        report = voice.call_report(sid, timeout=60)
        assert all(hook["status"] == 200 for hook in voice_webhooks(report)), report["errors"]
        assert not any("sorry" in line.lower() and "trouble" in line.lower() for line in spoken(report, "agent"))
    for sid in calls:
        record = voice.final_record(sid, timeout=180)
        users = [m["content"] for m in record["conversation_history"] if m["role"] == "user"]
        assert users == said[sid], sid
        assert record["data_collected"]["issue"] == f"issue of call {sid}"


def claims_of(stack, pid):
    """The outbox jobs a worker process holds (claimed_by is host:pid:thread)."""
    jobs = json.loads(stack.voicectl("outbox", "--json", timeout=10).stdout)
    return [job for job in jobs if (job.get("claimed_by") or "").split(":")[1:2] == [str(pid)]]


def frozen_holding_a_job(stack, pid, patience=3.0):
    """Freezes worker `pid` at a moment it holds a job, if one comes within
    `patience` seconds (a job lasts milliseconds: a kill at a random moment
    mostly finds the worker between jobs, and then tests no release). Returns
    the jobs it holds, frozen: [] when none came in time, None when they could
    not be read (it held SessionDB's write lock)."""
    deadline = time.time() + patience
    while True:
        freeze(pid)
        try:
            held = claims_of(stack, pid)
        except subprocess.TimeoutExpired:
            return None
        if held or time.time() >= deadline:
            return held
        os.kill(pid, signal.SIGCONT)
        time.sleep(0.02)  # lets it run on to its next job; the condition is polled above


def kill(stack, program, name, killed):
    """SIGKILLs the running process `name` of `program`: one that supervisord
    started in place of every pid in `killed` (the earlier kills of it) and
    that is running (past startsecs). A worker is frozen first, holding a job
    if it can be (see frozen_holding_a_job), so the jobs it held when it died
    are known exactly. Returns (pid, the jobs it held, or
    None when they could not be read: frozen, it held SessionDB's write lock)."""
    pid = wait_until(lambda: (pid := stack.processes(program)[name]) not in killed and pid, timeout=30,
                     what=f"{name} running again")
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        assert handle.read().split(b"\0")[0].endswith(b"/" + program.encode()), f"{pid} is not {name}"
    held = []
    try:
        if program == "worker":
            held = frozen_holding_a_job(stack, pid)
    finally:
        os.kill(pid, signal.SIGKILL)  # raises if there was no such process
    wait_until(lambda: not os.path.exists(f"/proc/{pid}"), what=f"{name} ({pid}) gone")
    return pid, held


TARGETS = [("worker", "worker:worker_00"), ("worker", "worker:worker_01"),
           ("process-speech", "process-speech:process-speech_00")]


def test_killed_processes_lose_no_answered_turn(make_stack):
    """Workers and a process-speech process are killed (SIGKILL) again and again
    during 20 calls. The lease is long (600 s): a dead worker's jobs are done
    within the test only if they are released at once, as they must be on the
    same host, not when the lease runs out."""
    stack = make_stack(local_env(HANDLER_PROCESSES="2", WORKER_PROCESSES="2", WORKER_LEASE_SECONDS="600"))
    voice = Voice(stack)
    calls = {}
    for n in range(20):
        to = f"+1555032{n:04d}"
        voice.scenario(to, twelve_turns(n), pause=0.5)  # the calls last while the killer works
        calls[voice.make_call("customer-support-001", to).json()["call_sid"]] = to

    stop = threading.Event()
    kills, killer_failures = [], []

    def enough():
        workers = sum(1 for name, _, _ in kills if name.startswith("worker:"))
        return workers >= 3 and len(kills) > workers

    def killer():
        rng = random.Random(7)
        try:
            # Until the calls are over, and on past them until at least three
            # workers and one process-speech were killed: how many kills fit in
            # the calls depends on the machine's speed, not on what is tested.
            while not (stop.is_set() and enough()):
                time.sleep(rng.uniform(0.3, 1.0))  # the pace of the chaos, not a synchronisation
                program, name = rng.choice(TARGETS)
                pid, held = kill(stack, program, name, killed={pid for who, pid, _ in kills if who == name})
                kills.append((name, pid, held))
        except BaseException as error:  # reported below: a killer that stops proves nothing
            killer_failures.append(repr(error))

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        reports = {sid: voice.call_report(sid, timeout=120) for sid in calls}
    finally:
        stop.set()
        thread.join()
    assert killer_failures == [], killer_failures
    worker_kills = [entry for entry in kills if entry[0].startswith("worker:")]
    assert len(worker_kills) >= 3 and len(kills) > len(worker_kills), kills
    orphaned = [job["id"] for _, _, held in worker_kills for job in held or []]
    assert orphaned, f"no worker was killed holding a job, so nothing tested their release: {kills}"
    # supervisord replaced every process killed (each earlier kill: the next one of it found a new process).
    for program, name in TARGETS:
        wait_until(lambda: (pid := stack.processes(program)[name]) and pid not in {p for _, p, _ in kills},
                   timeout=30, what=f"{name} replaced")

    for sid, report in reports.items():
        record = voice.final_record(sid, timeout=120)  # far below the lease
        stored = [m["content"] for m in record["conversation_history"] if m["role"] == "user"]
        # Every caller line whose turn was answered 200 is in the record, in order.
        answered = []
        pending = None
        for event in report["events"]:
            if event["type"] == "caller" and "text" in event:
                pending = event["text"]
            elif event["type"] == "webhook" and event["kind"] == "voice" and pending is not None:
                if event["status"] == 200:
                    answered.append(pending)
                pending = None
        assert [line for line in stored if line in answered] == answered, sid
    # One record per call, none regressed to in-progress.
    items = voice.ddb.Table("VoiceAssistant_Calls").scan()["Items"]
    assert sorted(item["call_sid"] for item in items if item["call_sid"] in calls) == sorted(calls)
    assert all(item["status"] == "completed" for item in items if item["call_sid"] in calls)
    # The jobs the dead workers held were done, not left for the lease to expire.
    wait_until(lambda: outbox_drained(stack), timeout=120, what="every job done, the dead workers' too")


def test_recording_not_ready_is_retried_without_holding_a_webhook(make_stack):
    voice = Voice(make_stack(local_env()))
    voice.scenario("+15550330001", SUPPORT + ["bye"], recording_not_found=2)
    sid = voice.make_call("customer-support-001", "+15550330001").json()["call_sid"]
    report = voice.call_report(sid)
    status_hooks = [e for e in report["events"] if e["type"] == "webhook" and e["kind"].startswith(("status", "recording"))]
    assert status_hooks and all(hook["status"] == 200 for hook in status_hooks)
    record = wait_until(lambda: (r := voice.call_record(sid)) and r.get("s3_recording_url") and r,
                        timeout=60, what="recording archived")
    fetched = voice.call_report(sid, wait=False)["recording"]["fetches"]
    assert fetched >= 3  # two 404s, then the download
    obj = voice.s3.get_object(Bucket="voice-assistant-recordings", Key=f"recordings/{sid}.wav")
    assert obj["Body"].read() == served_recording(voice, report)
    assert record["status"] == "completed"


def outbox_drained(stack):
    return "pending: 0" in subprocess.run([f"{BIN_DIR}/voicectl", "outbox"], env=stack.env, cwd=ROOT,
                                          capture_output=True, text=True).stdout


def test_a_recording_announced_again_is_not_archived_again(make_stack):
    stack = make_stack(local_env())
    voice = Voice(stack)
    voice.scenario("+15550330002", SUPPORT + ["bye"])
    sid = voice.make_call("customer-support-001", "+15550330002").json()["call_sid"]
    report = voice.call_report(sid)
    wait_until(lambda: (r := voice.call_record(sid)) and r.get("s3_recording_url"), what="recording archived")
    wait_until(lambda: outbox_drained(stack), what="outbox drained")
    seen = len(voice.emulator_requests())
    # Twilio announces the same recording once more (as its two callbacks do).
    announce = {"AccountSid": "AC" + "0" * 32, "CallSid": sid, "RecordingSid": report["recording"]["sid"],
                "RecordingUrl": report["recording"]["url"], "RecordingStatus": "completed"}
    assert voice.signed_post("/recording-status", announce).status_code == 200
    wait_until(lambda: outbox_drained(stack), what="the second archive job done")
    later = [e for e in voice.emulator_requests()[seen:] if sid in json.dumps(e) + request_body(e)]
    assert later == [], "the second announcement reached AWS: " + ", ".join(
        f'{e["method"]} {e["url"]} {e["headers"].get("X-Amz-Target", "")}' for e in later)
    assert voice.call_record(sid)["s3_recording_url"] == f"s3://voice-assistant-recordings/recordings/{sid}.wav"


def test_repeated_and_early_callbacks_leave_a_correct_record(make_stack):
    stack = make_stack(local_env())
    voice = Voice(stack)
    stack.ctl("stop", "worker:*")
    voice.scenario("+15550340001", SUPPORT + ["No, that's all, thanks. Bye!"], duplicate_completed=True)
    sid = voice.make_call("customer-support-001", "+15550340001").json()["call_sid"]
    report = voice.call_report(sid)
    completed = [e for e in report["events"] if e["type"] == "webhook" and e["kind"] == "status:completed"]
    assert len(completed) == 2
    # Both finalizations wait in the outbox; the record's creation and the last
    # turn's sync were made moot by them (they write the whole session). The
    # worker then meets the two in any order its threads take them.
    outbox = subprocess.run([f"{BIN_DIR}/voicectl", "outbox", "--json"], env=stack.env, cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    kinds = sorted(job["kind"] for job in json.loads(outbox) if job["subject"] == sid and job["kind"] != "recording")
    assert kinds == ["finalize", "finalize"]
    stack.ctl("start", "worker:*")
    record = voice.final_record(sid)
    wait_until(lambda: outbox_drained(stack), what="outbox drained")
    record = voice.call_record(sid)
    assert [m["content"] for m in record["conversation_history"] if m["role"] == "user"] == \
        SUPPORT + ["No, that's all, thanks. Bye!"]
    assert record["ended_by"] == "user"
    assert record["data_collected"]["email"] == "john@example.com"
    assert record["message_count"] == 9


def test_outbox_shows_a_failing_job_until_it_can_succeed(make_stack):
    stack = make_stack(local_env())
    voice = Voice(stack)
    voice.s3.delete_bucket(Bucket="voice-assistant-recordings")
    voice.scenario("+15550350001", ["bye"])
    sid = voice.make_call("customer-support-001", "+15550350001").json()["call_sid"]
    voice.call_report(sid)

    def failing():
        out = subprocess.run([f"{BIN_DIR}/voicectl", "outbox"], env=stack.env, cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        return out if ("recording" in out and "no such bucket" in out.lower()) else None

    shown = wait_until(failing, timeout=60, what="the failing recording job")
    assert "retrying: " in shown and "retrying: 0" not in shown
    assert voice.call_record(sid).get("s3_recording_url") is None
    subprocess.run([f"{BIN_DIR}/voicectl", "bucket", "create"], env=stack.env, cwd=ROOT, check=True,
                   capture_output=True)
    # The operator fixed the cause: retry at once instead of after the backoff.
    retried = subprocess.run([f"{BIN_DIR}/voicectl", "outbox", "--retry-now"], env=stack.env, cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    assert "made due now" in retried
    wait_until(lambda: (r := voice.call_record(sid)) and r.get("s3_recording_url"), timeout=60,
               what="the job to succeed once the bucket exists")


def test_calls_run_without_dynamodb(make_stack):
    voice = Voice(make_stack(local_env(ENABLE_DYNAMODB="false")))
    voice.scenario("+15550360001", SUPPORT + ["bye"])
    sid = voice.make_call("sales-001", "+15550360001").json()["call_sid"]
    report = voice.call_report(sid)
    assert report["errors"] == []
    assert parse_twiml(voice_webhooks(report)[0]["body"]).find(".//Say").get("voice") == "Polly.Matthew"
    wait_until(lambda: voice.session(sid) is None, what="the session to be finalized")
    assert voice.call_record(sid) is None
