"""Local speech synthesis (USE_LOCAL_TTS): the agent's lines are espeak-ng
files that nginx serves under /tts/ and Twilio (the simulator) fetches for
<Play>; a line that cannot be made in time is said with <Say>; the worker
removes files unused for TTS_CLEANUP_DELAY. The checks read the files with
Python's `wave` module and nginx over plain HTTP."""
import http.client
import io
import json
import os
import re
import stat
import time
import wave

import pytest
import requests

from conftest import module_stack, wait_until
from voice_helpers import API_KEY, Voice, local_env, parse_twiml, voice_webhooks

SUPPORT_LINES = [
    "Hi, my name is John Smith",
    "john at example dot com",
    "My internet keeps dropping every evening",
    "No, that's all, thanks. Bye!",
]
FILE_NAME = re.compile(r"^[0-9a-f]{64}\.wav$")


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    return Voice(module_stack(request, tmp_path_factory, local_env(USE_LOCAL_TTS="true")))


@pytest.fixture(scope="module")
def slow_voice(request, tmp_path_factory):
    """A stack whose engine never finishes (a stand-in that sleeps and records
    its pid), and whose worker removes files unused for 4 seconds."""
    folder = tmp_path_factory.mktemp("slow-engine")
    engine = folder / "espeak-ng"
    engine.write_text(f"#!/bin/sh\necho $$ >> {folder}/pids\nexec sleep 60\n")
    engine.chmod(engine.stat().st_mode | stat.S_IXUSR)
    stack = module_stack(request, tmp_path_factory, local_env(
        USE_LOCAL_TTS="true", TTS_ESPEAK_COMMAND=str(engine), TTS_TIMEOUT_MS="300", TTS_CLEANUP_DELAY="4"))
    stack.engine_pids = folder / "pids"
    return Voice(stack)


def tts_dir(voice):
    return os.path.join(voice.stack.var_dir, "tts_output")


def played(report):
    return [e for e in report["events"] if e["type"] == "played"]


def plays_in(hook):
    return [play.text for play in parse_twiml(hook["body"]).iter("Play")]


def test_every_agent_line_is_a_played_8khz_wav(voice):
    sid, report = voice.scripted_call("customer-support-001", "+15550600001", SUPPORT_LINES)
    assert report["errors"] == []
    assert report["ended_by"] == "agent"
    # Nothing was said with Twilio's voice: every line was a file the callee fetched.
    assert [e for e in report["events"] if e["type"] == "agent"] == []
    webhooks = voice_webhooks(report)
    assert len(webhooks) == 5
    urls = []
    for hook in webhooks[:-1]:
        root = parse_twiml(hook["body"])
        assert root.findall(".//Say") == []
        gather = root.find("Gather")
        assert gather is not None and len(gather.findall("Play")) == 1, hook["body"]
        urls += plays_in(hook)
    last = parse_twiml(webhooks[-1]["body"])
    assert last.find("Play") is not None and last.find("Hangup") is not None
    urls += plays_in(webhooks[-1])
    events = played(report)
    assert [e["url"] for e in events] == urls
    for event in events:
        assert event["url"].startswith(voice.stack.url + "/tts/")
        assert FILE_NAME.match(event["url"].rsplit("/", 1)[1])
        assert (event["sample_rate"], event["channels"], event["sample_width"]) == (8000, 1, 2)
        assert event["duration_seconds"] > 0.3
        assert event["content_type"] == "audio/wav"

    # Our own look at one file, through nginx: a real 8 kHz mono WAV of speech length.
    response = requests.get(urls[0], timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as reader:
        assert (reader.getframerate(), reader.getnchannels(), reader.getsampwidth()) == (8000, 1, 2)
        assert reader.getnframes() > 8000 * 0.5
        frames = reader.readframes(reader.getnframes())
    assert any(frames[i:i + 2] not in (b"\x00\x00", b"\xff\xff") for i in range(0, len(frames), 2))

    # The transcript keeps the words the files speak.
    record = voice.final_record(sid)
    assistant = [m["content"] for m in record["conversation_history"] if m["role"] == "assistant"]
    assert len(assistant) == len(urls)
    assert "full name" in assistant[0].lower()


def test_voicectl_call_shows_the_played_lines(voice, tmp_path):
    script = tmp_path / "call.json"
    script.write_text(json.dumps(["Hi, my name is John Smith", "No, that's all, thanks. Bye!"]))
    result = voice.stack.voicectl("call", "--agent", "customer-support-001", "--to", "+15550600008",
                                  "--script", str(script), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    agent_lines = [line for line in result.stdout.splitlines() if line.startswith("agent:")]
    assert len(agent_lines) == 3, result.stdout
    for line in agent_lines:
        assert re.fullmatch(r"agent:  \[plays \d+\.\d s, 8000 Hz: [0-9a-f]{64}\.wav\]", line), line
    assert re.search(r"errors +none", result.stdout), result.stdout


def test_a_hindi_agent_plays_hindi_speech(voice):
    _, report = voice.scripted_call("hindi-support-001", "+15550600002", ["मेरा नाम राहुल शर्मा है", "अलविदा"])
    assert report["errors"] == []
    events = played(report)
    assert events and all(e["sample_rate"] == 8000 for e in events)
    assert [e for e in report["events"] if e["type"] == "agent"] == []


def test_the_same_line_twice_is_one_cached_file(voice):
    agent = {"agent_id": "tts-cache-001", "name": "Cache", "prompt": "Collect a name.", "voice": "Polly.Joanna",
             "language": "en-US", "greeting": "Hello from the cache test. What is your full name?",
             "data_to_fill": {"name": {"required": True, "prompt": "What is your full name?"}}}
    created = requests.post(voice.stack.url + "/agents", json=agent, timeout=15,
                            headers={"Authorization": f"Bearer {API_KEY}"})
    assert created.status_code == 201, created.text

    _, first = voice.scripted_call("tts-cache-001", "+15550600003", ["bye"])
    greeting = played(first)[0]["url"]
    path = os.path.join(tts_dir(voice), greeting.rsplit("/", 1)[1])
    before = os.stat(path)
    _, second = voice.scripted_call("tts-cache-001", "+15550600004", ["bye"])
    assert played(second)[0]["url"] == greeting
    # Not written again: a new file would have been renamed over it (a new inode).
    after = os.stat(path)
    assert (after.st_ino, after.st_size) == (before.st_ino, before.st_size)
    # Every file in the folder is a finished one: no temporary file is left behind.
    assert all(FILE_NAME.match(name) for name in os.listdir(tts_dir(voice)))
    # The name depends on the words: another agent's greeting is another file.
    _, other = voice.scripted_call("customer-support-001", "+15550600005", ["bye"])
    assert played(other)[0]["url"] != greeting


def test_transfer_and_voicemail_lines_are_played_too(voice):
    agent = {"agent_id": "tts-desk-001", "name": "Desk", "prompt": "Help, or put through to a person.",
             "voice": "Polly.Joanna", "language": "en-US", "greeting": "Hello, this is the desk. What is your name?",
             "data_to_fill": {"name": {"required": True, "prompt": "What is your name?"}},
             "transfer_number": "+15550009000", "voicemail_message": "Hello, the desk called. Please call us back."}
    created = requests.post(voice.stack.url + "/agents", json=agent, timeout=15,
                            headers={"Authorization": f"Bearer {API_KEY}"})
    assert created.status_code == 201, created.text

    voice.scenario("+15550600009", ["Can I talk to a real person please"], dial={"status": "completed"})
    response = voice.make_call("tts-desk-001", "+15550600009")
    assert response.status_code == 200, response.text
    report = voice.call_report(response.json()["call_sid"])
    assert report["errors"] == []
    [transfer] = [parse_twiml(hook["body"]) for hook in voice_webhooks(report) if "<Dial" in hook["body"]]
    assert [verb.tag for verb in transfer] == ["Play", "Dial"]
    assert [e["type"] for e in report["events"] if e["type"] in ("played", "dial")][-2:] == ["played", "dial"]

    voice.scenario("+15550600010", ["Hello?"], answered_by="machine_end_beep")
    response = voice.make_call("tts-desk-001", "+15550600010")
    assert response.status_code == 200, response.text
    report = voice.call_report(response.json()["call_sid"])
    assert report["errors"] == []
    [answer] = voice_webhooks(report)
    assert [verb.tag for verb in parse_twiml(answer["body"])] == ["Play", "Hangup"]
    assert len(played(report)) == 1 and played(report)[0]["duration_seconds"] > 1


def raw_get(voice, path, method="GET"):
    """A request with the path exactly as written (requests would resolve `..`)."""
    connection = http.client.HTTPConnection("127.0.0.1", voice.stack.port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_only_speech_file_names_are_served(voice):
    _, report = voice.scripted_call("customer-support-001", "+15550600006", ["bye"])
    real = played(report)[0]["url"].rsplit("/", 1)[1]
    assert raw_get(voice, "/tts/" + real)[0] == 200
    with open(os.path.join(voice.stack.var_dir, "tts.key"), "rb") as handle:
        secret = handle.read()
    # A file beside the speech that must never be served by guessing.
    with open(os.path.join(tts_dir(voice), "notes.txt"), "w") as handle:
        handle.write("private")
    for path in ["/tts/../conf/nginx.conf", "/tts/..%2fconf/nginx.conf", "/tts/%2e%2e/tts.key", "/tts/../tts.key",
                 "/tts/", "/tts", "/tts/notes.txt", "/tts/abc.wav", "/tts/" + real.upper(),
                 "/tts/" + real + "/", "/tts/" + real[:-4], "/tts/x" + real, "/tts/" + "0" * 64 + ".wav",
                 "/tts/.tmp-0123456789abcdef.wav"]:
        status, body = raw_get(voice, path)
        assert status in (400, 404), (path, status)
        assert b"private" not in body and secret not in body and b"worker_processes" not in body, path
    status, _ = raw_get(voice, "/tts/" + real, method="POST")
    assert status in (403, 405)


def test_a_line_not_ready_in_time_is_said_and_the_call_completes(slow_voice):
    sid, report = slow_voice.scripted_call("customer-support-001", "+15550600007", SUPPORT_LINES)
    assert report["errors"] == []
    assert report["ended_by"] == "agent"
    assert played(report) == []
    webhooks = voice_webhooks(report)
    assert len(webhooks) == 5
    for hook in webhooks:
        root = parse_twiml(hook["body"])
        assert root.findall(".//Play") == [] and root.findall(".//Say"), hook["body"]
    assert slow_voice.final_record(sid)["data_collected"]["name"] == "John Smith"
    # Each line tried the engine, gave up at the deadline, and said why.
    reasons = [line.get("reason") for name in ("voice-outbound", "process-speech")
               for line in slow_voice.stack.log_lines(name)
               if line.get("message") == "line spoken with <Say> instead of local speech"]
    assert reasons.count("synthesis missed its deadline") == 5
    # No engine outlived its deadline.
    pids = [int(pid) for pid in slow_voice.stack.engine_pids.read_text().split()]
    assert len(pids) == 5
    for pid in pids:
        assert not os.path.exists(f"/proc/{pid}"), f"engine {pid} still running"
    assert os.listdir(tts_dir(slow_voice)) == []


def test_the_worker_removes_files_unused_for_the_cleanup_delay(slow_voice):
    folder = tts_dir(slow_voice)
    old, fresh = "a" * 64 + ".wav", "b" * 64 + ".wav"
    leftover, unrelated = ".tmp-0123456789abcdef.wav", "README"
    now = time.time()
    for name in (old, fresh, leftover, unrelated):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(b"RIFF")
    for name in (old, leftover, unrelated):
        os.utime(os.path.join(folder, name), (now - 60, now - 60))
    os.utime(os.path.join(folder, fresh), (now + 3600, now + 3600))
    wait_until(lambda: not os.path.exists(os.path.join(folder, old)), timeout=30, what="the old file to go")
    wait_until(lambda: not os.path.exists(os.path.join(folder, leftover)), timeout=30, what="the leftover to go")
    assert os.path.exists(os.path.join(folder, fresh))
    assert os.path.exists(os.path.join(folder, unrelated))
    assert any(line.get("message") == "expired speech files removed" for line in slow_voice.stack.log_lines("worker"))
