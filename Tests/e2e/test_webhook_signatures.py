"""Every route of nginx/routes.txt refuses an unauthenticated POST, and every
Twilio webhook refuses unsigned, forged and wrongly keyed requests about a live
call without changing anything (session, outbox, DynamoDB). A webhook added
later without the signature check fails here."""
import json
import os
import re

from twilio.request_validator import RequestValidator

from conftest import ROOT, wait_until
from remo_helpers import Keys, remo_env
from voice_helpers import Voice, local_env

ACCOUNT = "AC00000000000000000000000000000000"

# The Twilio webhooks: every one of them must check X-Twilio-Signature.
WEBHOOKS = {"voice-outbound", "voice-inbound", "process-speech", "call-status", "recording-status"}


def routes():
    """(endpoint, a concrete path it serves), from nginx/routes.txt."""
    table = []
    for line in open(os.path.join(ROOT, "nginx", "routes.txt")):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        endpoint, location = line.split(None, 1)
        pattern = location.split()[-1]
        path = re.sub(r"\(/\[\^/\]\+\)\?", "", pattern)      # an optional item id: left out
        path = re.sub(r"\[\^/\]\+", "u1", path)              # a path segment
        path = re.sub(r"\(([^|)]+)(\|[^)]*)?\)", r"\1", path)  # alternatives: the first
        path = path.strip("^$")
        if path.endswith("/"):
            path += "CA1"
        table.append((endpoint, path))
    return table


def webhook_params(path, sid):
    base = {"CallSid": sid, "AccountSid": ACCOUNT, "From": "+15550009999", "To": "+15550700100"}
    extra = {
        "/voice/outbound": {"Direction": "outbound-api", "CallStatus": "in-progress"},
        "/voice/inbound": {"Direction": "inbound", "CallStatus": "ringing"},
        "/voice/process-speech": {"SpeechResult": "my email is eve at example dot com", "Confidence": "0.95"},
        "/call-status": {"CallStatus": "completed", "CallDuration": "9"},
        "/recording-status": {"RecordingStatus": "completed", "RecordingSid": "RE1",
                              "RecordingUrl": f"http://127.0.0.1:1/2010-04-01/Accounts/{ACCOUNT}/Recordings/RE1"},
    }[path]
    return dict(base, **extra)


def test_the_webhook_list_matches_the_routes():
    assert WEBHOOKS <= {endpoint for endpoint, _ in routes()}


def test_no_route_accepts_an_unauthenticated_post(make_stack):
    # Privy configured too, so the chat routes refuse for want of a token, not of settings.
    voice = Voice(make_stack(remo_env(Keys(), **local_env())))
    for endpoint, path in routes():
        response = voice.stack.post(path, data={"CallSid": "CA" + "1" * 32, "SpeechResult": "hello"})
        expected = {403} if endpoint in WEBHOOKS else {401, 405}
        assert response.status_code in expected, f"{endpoint} {path}: {response.status_code} {response.text[:200]}"
        assert response.json()["error"] in ("forbidden", "unauthorized", "method_not_allowed")


def test_every_webhook_refuses_unsigned_forged_and_wrong_key_requests_on_a_live_call(make_stack):
    voice = Voice(make_stack(local_env()))
    sid = voice.live_call("customer-support-001", "+15550700100", ["My name is Eve Example"])

    def state():
        jobs = json.loads(voice.stack.voicectl("outbox", "--json").stdout)
        return voice.session(sid), sorted((job["kind"], job["subject"]) for job in jobs), voice.call_record(sid)

    # The worker has written the record: from here, only a request could change anything.
    wait_until(lambda: voice.call_record(sid) and not json.loads(voice.stack.voicectl("outbox", "--json").stdout),
               what="the record written and the outbox empty")
    before = state()
    other = RequestValidator("not-our-auth-token")
    webhook_paths = sorted(path for endpoint, path in routes() if endpoint in WEBHOOKS)
    assert len(webhook_paths) == len(WEBHOOKS)
    for path in webhook_paths:
        params = webhook_params(path, sid)
        url = voice.stack.url + path
        for label, signature in (("unsigned", ""), ("forged", "bm90IGEgc2lnbmF0dXJl"),
                                 ("wrong key", other.compute_signature(url, params)),
                                 ("other URL", voice.validator.compute_signature("https://evil.example" + path, params))):
            response = voice.signed_post(path, params, signature=signature)
            assert response.status_code == 403, f"{path} {label}: {response.status_code} {response.text[:200]}"
            assert response.json()["error"] == "forbidden"
    assert state() == before, "a refused webhook changed something"
    # The same turn, signed, is taken: the refusals were the signature's doing.
    assert voice.signed_post("/voice/process-speech", webhook_params("/voice/process-speech", sid)).status_code == 200
    assert voice.session(sid)["data_collected"]["email"] == "eve@example.com"
    voice.hang_up(sid)
