"""No secret reaches a log line, and phone numbers appear only masked (every
digit but the last four replaced by `*`). After a full call (make-call, answer,
turns, status, recording archived), an inbound call, chat requests (one with a
phone number, one refused), operator requests, and AWS requests that fail (the
emulator stopped), every file under $VAR_DIR/log is read. The stack runs at
LOG_LEVEL=trace with secrets no other text could contain, so a hit is a leak."""
import base64
import os
import re
import secrets

import requests
from cryptography.hazmat.primitives import serialization

from conftest import wait_until
from remo_helpers import Keys, new_user, remo_env
from voice_helpers import API_KEY, AUTH_TOKEN, Voice, local_env

ACCOUNT = "AC00000000000000000000000000000000"  # the simulator's account (not a secret)
AWS_SECRET = "e2eAwsSecret" + secrets.token_hex(16)
OPENAI_KEY = "sk-e2e" + secrets.token_hex(16)
OUR_NUMBER = "+15550198765"   # TWILIO_PHONE_NUMBER
CALLED = "+15550123487"       # the outbound call's callee
CALLER = "+15550134562"       # an inbound caller
INBOUND_TO = "+15550145673"   # the number the inbound caller dialled
CHAT_PHONE = "+15550162345"   # a number a chat user gives
SPOKEN = "+15550176789"       # a number a caller says during a call
OUTAGE_CALLED = "+15550187654"  # a call placed while AWS is down

# The emulator's own request log records the DynamoDB items it was sent (the
# calls table holds the numbers as data) and the simulator plays the telephone
# network: both are scanned for secrets, but they are not the product's logs.
NOT_OURS_FOR_NUMBERS = {"local-aws-requests.jsonl", "twilio-sim.log"}


def digits_pattern(number):
    """A number written with any separators between its last seven digits (a
    masked number shows only the last four)."""
    digits = re.sub(r"\D", "", number)[-7:]
    return re.compile(r"[\s().-]?".join(digits))


def log_files(var_dir):
    root = os.path.join(var_dir, "log")
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                yield os.path.relpath(path, root), handle.read().decode("utf-8", "replace")


def test_no_secret_or_whole_phone_number_reaches_a_log(make_stack):
    keys = Keys()
    env = remo_env(keys, **local_env(AWS_SECRET_ACCESS_KEY=AWS_SECRET, OPENAI_API_KEY=OPENAI_KEY,
                                     TWILIO_PHONE_NUMBER=OUR_NUMBER, LOG_LEVEL="trace"))
    voice = Voice(make_stack(env))
    stack = voice.stack

    # A full outbound call: make-call, answer, turns (one says a phone number), status, recording to S3.
    voice.scenario(CALLED, ["Hi, my name is John Smith", "john at example dot com",
                            f"My internet drops, call me back on {SPOKEN[2:5]} {SPOKEN[5:8]} {SPOKEN[8:]}",
                            "No, that's all, thanks. Bye!"])
    response = voice.make_call("customer-support-001", CALLED)
    assert response.status_code == 200, response.text
    sid = response.json()["call_sid"]
    assert voice.call_report(sid)["errors"] == []
    wait_until(lambda: (r := voice.call_record(sid)) and r.get("s3_recording_url") and r.get("ended_at"),
               what="the call finalized and its recording archived")
    # An inbound call, and the operator endpoints.
    inbound = voice.inbound(CALLER, INBOUND_TO, ["My name is Priya Patel", "bye"])
    voice.call_report(inbound)
    voice.final_record(inbound)
    assert stack.get("/sessions", headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200
    wrong_key = "wrong-operator-key-" + secrets.token_hex(8)
    assert stack.get("/sessions", headers={"Authorization": f"Bearer {wrong_key}"}).status_code == 401

    # Chat: a profile phone number, then a refused token.
    user = new_user("logs")
    token = keys.token(user)
    chat = requests.post(stack.url + "/chat", headers={"Authorization": f"Bearer {token}"}, timeout=15,
                         json={"message": f"my phone number is {CHAT_PHONE}", "user_id": user})
    assert chat.status_code == 200 and chat.json()["intent"] == "update_profile", chat.text
    other_token = Keys().token(user)
    refused = requests.post(stack.url + "/chat", headers={"Authorization": f"Bearer {other_token}"}, timeout=15,
                            json={"message": "hi", "user_id": user})
    assert refused.status_code == 401

    # AWS fails: the emulator is stopped. A chat answers 503; a call goes on, and
    # the worker's jobs for it (record, syncs, finalization, recording) fail and retry.
    stack.ctl("stop", "local-aws")
    during = requests.post(stack.url + "/chat", headers={"Authorization": f"Bearer {token}"}, timeout=30,
                           json={"message": "add todo call the bank", "user_id": user})
    assert during.status_code == 503, during.text
    voice.scenario(OUTAGE_CALLED, ["Hi, my name is Ann Lee", "bye"])
    response = voice.make_call("customer-support-001", OUTAGE_CALLED)
    assert response.status_code == 200, response.text
    voice.call_report(response.json()["call_sid"])
    worker_log = os.path.join(stack.var_dir, "log", "worker.log")
    wait_until(lambda: "job failed; will retry" in open(worker_log).read(), timeout=60,
               what="the worker to log a failed AWS request")

    # Every process stops (nginx flushes its buffered access log), then every file is read.
    stack.stop()
    files = dict(log_files(stack.var_dir))
    for name in ("make-call.log", "voice-outbound.log", "voice-inbound.log", "process-speech.log",
                 "call-status.log", "recording-status.log", "sessions.log", "chat.log", "worker.log",
                 "nginx-access.log", "supervisord.log"):
        assert files.get(name), f"{name} is missing or empty: {sorted(files)}"

    private_pem = keys.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode()
    secret_values = {
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "Twilio basic credentials": base64.b64encode(f"{ACCOUNT}:{AUTH_TOKEN}".encode()).decode(),
        "API_KEY": API_KEY,
        "a wrong API key presented": wrong_key,
        "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
        "OPENAI_API_KEY": OPENAI_KEY,
        "the bearer token": token,
        "the bearer token's signature": token.rsplit(".", 1)[1],
        "a refused bearer token's signature": other_token.rsplit(".", 1)[1],
    }
    # The Privy keys, line by line (a log could carry a PEM with its newlines escaped).
    for label, pem in (("PRIVY_VERIFICATION_KEY", keys.public_pem), ("the Privy private key", private_pem)):
        for number, line in enumerate(pem.splitlines()):
            if not line.startswith("-----") and len(line) >= 24:
                secret_values[f"{label}, line {number}"] = line
    numbers = {"our number": OUR_NUMBER, "the callee": CALLED, "the inbound caller": CALLER,
               "the number dialled in": INBOUND_TO, "the chat user's phone": CHAT_PHONE,
               "the number a caller said": SPOKEN, "the callee during the outage": OUTAGE_CALLED}

    leaks = []
    for name, text in sorted(files.items()):
        for label, value in secret_values.items():
            if value in text:
                leaks.append(f"{name}: {label}")
        if name in NOT_OURS_FOR_NUMBERS:
            continue
        for label, number in numbers.items():
            match = digits_pattern(number).search(text)
            if match:
                line = text[text.rfind("\n", 0, match.start()) + 1:text.find("\n", match.end())]
                leaks.append(f"{name}: {label} unmasked: {line[:300]}")
    assert not leaks, "secrets or whole phone numbers in the logs:\n" + "\n".join(leaks)
    # The numbers were logged, masked: the scan looked where they would be.
    assert "+*******3487" in files["make-call.log"] + files["voice-outbound.log"]
