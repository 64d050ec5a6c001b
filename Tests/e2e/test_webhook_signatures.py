"""Every route of nginx/routes.txt refuses an unauthenticated POST, and every
Twilio webhook refuses unsigned, forged and wrongly keyed requests about a live
call without changing anything (session, outbox, DynamoDB). A webhook added
later without the signature check fails here."""
import json
import os
import re

import requests
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
        "/voice/dial-status": {"DialCallStatus": "no-answer", "DialCallSid": "CA2", "DialCallDuration": "0"},
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


def call_state(voice, sid):
    """What a request could change: the session, the outbox and the record."""
    jobs = json.loads(voice.stack.voicectl("outbox", "--json").stdout)
    return voice.session(sid), sorted((job["kind"], job["subject"]) for job in jobs), voice.call_record(sid)


def settled_state(voice, sid):
    """The call's state once the worker has written its record: from then on,
    only a request could change anything."""
    wait_until(lambda: voice.call_record(sid) and not json.loads(voice.stack.voicectl("outbox", "--json").stdout),
               what="the record written and the outbox empty")
    return call_state(voice, sid)


def test_every_webhook_refuses_unsigned_forged_and_wrong_key_requests_on_a_live_call(make_stack):
    voice = Voice(make_stack(local_env()))
    sid = voice.live_call("customer-support-001", "+15550700100", ["My name is Eve Example"])

    before = settled_state(voice, sid)
    other = RequestValidator("not-our-auth-token")
    webhook_paths = sorted(path for endpoint, path in routes() if endpoint in WEBHOOKS)
    # Every webhook endpoint, each by every path it serves (a path without params here fails).
    assert {endpoint for endpoint, _ in routes() if endpoint in WEBHOOKS} == WEBHOOKS
    for path in webhook_paths:
        params = webhook_params(path, sid)
        url = voice.stack.url + path
        for label, signature in (("unsigned", ""), ("forged", "bm90IGEgc2lnbmF0dXJl"),
                                 ("wrong key", other.compute_signature(url, params)),
                                 ("other URL", voice.validator.compute_signature("https://evil.example" + path, params))):
            response = voice.signed_post(path, params, signature=signature)
            assert response.status_code == 403, f"{path} {label}: {response.status_code} {response.text[:200]}"
            assert response.json()["error"] == "forbidden"
    assert call_state(voice, sid) == before, "a refused webhook changed something"
    # The same turn, signed, is taken: the refusals were the signature's doing.
    assert voice.signed_post("/voice/process-speech", webhook_params("/voice/process-speech", sid)).status_code == 200
    assert voice.session(sid)["data_collected"]["email"] == "eve@example.com"
    voice.hang_up(sid)


def test_behind_a_proxy_signatures_are_checked_over_public_url_not_the_host(make_stack):
    """Twilio signs the URL it called: PUBLIC_URL (a proxy in front of nginx).
    The request reaches nginx with another Host; a signature over PUBLIC_URL is
    taken, one over the Host's URL (or the URL nginx was reached at, or one the
    forwarding headers describe) is refused and changes nothing."""
    public_url = "https://voice.example.com"
    token = "proxy-e2e-auth-token-" + "7f3a9c"
    voice = Voice(make_stack(local_env(LOCAL_TWILIO="false", PUBLIC_URL=public_url, TWILIO_AUTH_TOKEN=token,
                                       TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_PHONE_NUMBER="+15550700100")))
    signer = RequestValidator(token)
    host = "voice-internal.lan:8443"  # what the proxy forwards as Host

    def post(path, params, signed_url):
        return requests.post(voice.stack.url + path, data=params, timeout=15, headers={
            "Host": host, "X-Twilio-Signature": signer.compute_signature(signed_url, params)})

    sid = "CA" + "5" * 32
    answer = dict(webhook_params("/voice/inbound", sid), From="+15557770101")
    # Signed as Twilio signs: over PUBLIC_URL, whatever Host the proxy sent.
    response = post("/voice/inbound", answer, public_url + "/voice/inbound")
    assert response.status_code == 200, response.text
    assert voice.session(sid)["phase"] == "collecting"

    before = settled_state(voice, sid)
    webhook_paths = sorted(path for endpoint, path in routes() if endpoint in WEBHOOKS)
    for path in webhook_paths:
        params = webhook_params(path, sid)
        for label, signed_url in (("Host URL", f"https://{host}{path}"), ("Host URL over http", f"http://{host}{path}"),
                                  ("the URL nginx was reached at", voice.stack.url + path)):
            response = post(path, params, signed_url)
            assert response.status_code == 403, f"{path} signed over {label}: {response.status_code} {response.text[:200]}"
            assert response.json()["error"] == "forbidden"
        # Forwarding headers describing the Host URL do not make it the signed one.
        response = requests.post(voice.stack.url + path, data=params, timeout=15, headers={
            "Host": host, "X-Forwarded-Host": host, "X-Forwarded-Proto": "https", "X-Forwarded-Port": "8443",
            "X-Twilio-Signature": signer.compute_signature(f"https://{host}{path}", params)})
        assert response.status_code == 403, f"{path} with X-Forwarded-*: {response.status_code} {response.text[:200]}"
    assert call_state(voice, sid) == before, "a webhook signed over the Host URL changed something"

    # The same requests signed over PUBLIC_URL are taken.
    turn = webhook_params("/voice/process-speech", sid)
    assert post("/voice/process-speech", turn, public_url + "/voice/process-speech").status_code == 200
    assert len(voice.session(sid)["transcript"]) == len(before[0]["transcript"]) + 2
    status = webhook_params("/call-status", sid)
    assert post("/call-status", status, public_url + "/call-status").status_code == 200
    assert voice.final_record(sid)["status"] == "completed"
