"""Privy access tokens at their edges, end to end on /chat and a user-data
endpoint: claims missing (`exp`, `iat`), headers that try to supply their own
key (`jwk`, `jku`, `kid`, `x5u`, `x5c`), `alg: none`, HS256 keyed with the
public key, and `PRIVY_CLOCK_SKEW_SECONDS` at its boundary. Every token is
signed with PyJWT, not by the product's code. A refusal is a 401 `{error,
detail}` and changes nothing in DynamoDB (read with boto3)."""
import base64
import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from jwt.algorithms import ECAlgorithm, HMACAlgorithm

from remo_helpers import APP_ID, Keys, RemoStack, assert_error, new_user

SKEW = 60     # PRIVY_CLOCK_SKEW_SECONDS of the stack
MARGIN = 30   # how far inside or outside the skew the boundary tokens are


@pytest.fixture(scope="module")
def remo():
    stack = RemoStack(PRIVY_CLOCK_SKEW_SECONDS=str(SKEW))
    yield stack
    stack.close()


class KeyServer:
    """What an attacker's `jku`/`x5u` would point at: it serves their key and
    counts the requests, so a verifier that fetched a key from a token shows."""

    def __init__(self, jwks, certificate_pem):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                body = certificate_pem if self.path.endswith(".pem") else jwks
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def self_signed_certificate(private_key):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "privy.io")])
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private_key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(private_key, hashes.SHA256()))


class PublicKeyAsHMACSecret(HMACAlgorithm):
    """PyJWT's HMAC, minus its refusal of a PEM as the secret: the classic
    key-confusion forgery, signed by the independent library all the same."""

    def prepare_key(self, key):
        return key if isinstance(key, bytes) else key.encode()


def claims(user, now=None, **changes):
    now = int(time.time()) if now is None else now
    base = {"sub": user, "aud": APP_ID, "iss": "privy.io", "sid": "e2e-session", "iat": now, "exp": now + 3600}
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def sign(payload, key, headers=None):
    return jwt.encode(payload, key, algorithm="ES256", headers=headers)


def hs256(payload, secret):
    jws = jwt.PyJWS()
    jws.unregister_algorithm("HS256")
    jws.register_algorithm("HS256", PublicKeyAsHMACSecret(HMACAlgorithm.SHA256))
    token = jws.encode(json.dumps(payload).encode(), secret, algorithm="HS256")
    # A well-formed forgery: it verifies with the same secret, so only the verifier's refusal stops it.
    assert json.loads(jws.decode(token, secret, algorithms=["HS256"])) == payload
    return token


def attempt(remo, user, token):
    """A chat message and a preferences change, each of which would store something."""
    headers = {"Authorization": f"Bearer {token}"}
    chat = requests.post(remo.url + "/chat", headers=headers, timeout=15,
                         json={"message": "urgent todo renew passport", "user_id": user})
    preferences = requests.post(f"{remo.url}/user/{user}/preferences", headers=headers, timeout=15,
                                json={"timezone": "Asia/Kolkata"})
    return chat, preferences


def stored(remo, user):
    return (remo.todos_of(user), remo.reminders_of(user), remo.profile_of(user), remo.messages_of(user))


def assert_refused(remo, user, token):
    for response in attempt(remo, user, token):
        body = assert_error(response, {401})
        assert body["error"] == "unauthorized", body
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert stored(remo, user) == ({}, {}, None, []), "a refused token changed something"


def assert_accepted(remo, user, token):
    chat, preferences = attempt(remo, user, token)
    assert chat.status_code == 200, (chat.status_code, chat.text)
    assert [a["type"] for a in chat.json()["actions"]] == ["todo_created"], chat.json()
    assert preferences.status_code == 200, (preferences.status_code, preferences.text)
    todos, _, profile, messages = stored(remo, user)
    assert [t["title"] for t in todos.values()] == ["renew passport"]
    assert profile["preferences"]["timezone"] == "Asia/Kolkata"
    assert len(messages) == 2


def each_case(remo, cases):
    """(label, token for a user, expected "refused" | "accepted"): each case with
    a user of its own; every failure is reported, not only the first."""
    failures = []
    for label, token_for, expected in cases:
        user = new_user("token")
        try:
            (assert_refused if expected == "refused" else assert_accepted)(remo, user, token_for(user))
        except AssertionError as error:
            failures.append(f"{label} should be {expected}: {error}")
    assert not failures, "\n".join(failures)


def test_tokens_without_exp_or_iat_are_refused(remo):
    key = remo.keys.private
    each_case(remo, [
        ("no exp", lambda user: sign(claims(user, exp=None), key), "refused"),
        ("no iat", lambda user: sign(claims(user, iat=None), key), "refused"),
        ("neither", lambda user: sign(claims(user, exp=None, iat=None), key), "refused"),
        ("exp a string", lambda user: sign(claims(user, exp=str(int(time.time()) + 3600)), key), "refused"),
        # The same claims with both, from the same key.
        ("exp and iat", lambda user: sign(claims(user), key), "accepted"),
    ])


def test_headers_cannot_supply_the_key(remo):
    attacker = Keys()
    attacker_jwk = ECAlgorithm.to_jwk(attacker.private.public_key(), as_dict=True)
    certificate = self_signed_certificate(attacker.private)
    jwks = json.dumps({"keys": [dict(attacker_jwk, kid="attacker-key", use="sig", alg="ES256")]}).encode()
    server = KeyServer(jwks, certificate.public_bytes(serialization.Encoding.PEM))
    x5c = [base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()]
    headers = {
        "jwk": {"jwk": attacker_jwk},
        "jku": {"jku": server.url + "/.well-known/jwks.json", "kid": "attacker-key"},
        "kid": {"kid": "attacker-key"},
        "x5u": {"x5u": server.url + "/cert.pem"},
        "x5c": {"x5c": x5c},
        "all of them": {"jwk": attacker_jwk, "jku": server.url + "/jwks.json", "kid": "attacker-key",
                        "x5u": server.url + "/cert.pem", "x5c": x5c},
    }
    try:
        each_case(remo, [(f"the attacker's key with {name}",
                          lambda user, extra=extra: sign(claims(user), attacker.private, extra), "refused")
                         for name, extra in headers.items()] + [
            # The app's own key with a kid (as Privy's tokens may carry one).
            ("the app's key with a kid", lambda user: sign(claims(user), remo.keys.private, {"kid": "app"}),
             "accepted"),
        ])
        assert server.hits == [], f"the verifier fetched a key a token named: {server.hits}"
    finally:
        server.close()


def test_alg_none_and_hs256_with_the_public_key_are_refused(remo):
    pem = remo.keys.public_pem
    der = remo.keys.private.public_key().public_bytes(serialization.Encoding.DER,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo)
    each_case(remo, [
        ("alg none", lambda user: jwt.encode(claims(user), None, algorithm="none"), "refused"),
        ("alg none with a signature",
         lambda user: jwt.encode(claims(user), None, algorithm="none") + "c2lnbmF0dXJl", "refused"),
        ("HS256 keyed with the PEM", lambda user: hs256(claims(user), pem), "refused"),
        ("HS256 keyed with the PEM as .env holds it",
         lambda user: hs256(claims(user), pem.strip().replace("\n", "\\n")), "refused"),
        ("HS256 keyed with the PEM without its last newline", lambda user: hs256(claims(user), pem.strip()),
         "refused"),
        ("HS256 keyed with the DER key", lambda user: hs256(claims(user), der), "refused"),
    ])


def test_clock_skew_boundary(remo):
    """With PRIVY_CLOCK_SKEW_SECONDS=60: expired, issued or valid from 30 s off
    is within the skew and taken; 90 s off, refused."""
    now = int(time.time())
    key = remo.keys.private
    inside, outside = SKEW - MARGIN, SKEW + MARGIN
    cases = []
    for label, changes in (("expired", lambda d: {"exp": now - d, "iat": now - 3600}),
                           ("issued in the future", lambda d: {"iat": now + d}),
                           ("not valid before", lambda d: {"nbf": now + d})):
        cases += [
            (f"{label} {inside} s ago" if label == "expired" else f"{label} by {inside} s",
             lambda user, c=changes(inside): sign(claims(user, now, **c), key), "accepted"),
            (f"{label} {outside} s ago" if label == "expired" else f"{label} by {outside} s",
             lambda user, c=changes(outside): sign(claims(user, now, **c), key), "refused"),
        ]
    each_case(remo, cases)
