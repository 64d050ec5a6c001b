"""A receiver for the end-of-call webhooks: checks X-Voice-Signature, then
handles each call's report once (the Idempotency-Key repeats on retries).

    python3 examples/webhook_receiver.py --port 8088 --secret "$WEBHOOK_SECRET"

Standard library only. Answer 2xx once the report is stored: anything else is
retried with backoff, except a 4xx other than 408 and 429, which is given up
(it shows in `voicectl outbox` as a dead letter).
"""
import argparse
import hashlib
import hmac
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


def verify_signature(secret, header, body, tolerance=TOLERANCE_SECONDS, now=None):
    """True when `header` (t=<unix>,v1=<hex>) signs `body` (bytes) with `secret`
    and was made within `tolerance` seconds of `now`."""
    fields = {}
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, candidate) for candidate in fields.get("v1", []))


def make_handler(secret, seen):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not verify_signature(secret, self.headers.get("X-Voice-Signature"), body):
                self.send_response(401)
                self.end_headers()
                return
            key = self.headers.get("Idempotency-Key")
            if key not in seen:
                seen.add(key)
                report = json.loads(body)
                call = report["call"]
                print(f"{report['type']} {call['call_sid']}: {report['outcome']}, "
                      f"collected {json.dumps(call.get('data_collected', {}))}", flush=True)
            self.send_response(204)
            self.end_headers()

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.secret, set())).serve_forever()


if __name__ == "__main__":
    main()
