"""The Twilio simulator on its own, against a stand-in product that records what
it receives: every webhook arrives at the URL it was signed for, byte for byte
(escapes in the query included), and many calls at once all run to the end."""
import base64
import os
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from twilio.request_validator import RequestValidator

from conftest import ROOT, free_port, wait_until

ACCOUNT = "AC" + "5" * 32
TOKEN = "simulator-alone-token"
GATHER = ('<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="speech" '
          'action="/voice/process-speech?step=1%2C2&amp;note=caf%C3%A9"><Say>Go on</Say></Gather></Response>')
GOODBYE = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Bye</Say><Hangup/></Response>'


class Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 resets a burst of the simulator's connections


class Product:
    """Answers the simulator's webhooks and keeps (raw path, signature, form) of each."""

    def __init__(self):
        self.received = []
        self.lock = threading.Lock()
        product = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                with product.lock:
                    product.received.append((self.path, self.headers.get("X-Twilio-Signature"), form))
                answer = b""
                if self.path.startswith("/voice/"):
                    answer = (GOODBYE if form.get("SpeechResult") == "Goodbye" else GATHER).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = Server(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def product():
    stand_in = Product()
    yield stand_in
    stand_in.server.shutdown()


@pytest.fixture(scope="module")
def simulator(product):
    port = free_port()
    env = dict(os.environ, TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_URL=product.url)
    process = subprocess.Popen([sys.executable, "-m", "twiliosim", "--port", str(port)], cwd=os.path.join(ROOT, "tools"),
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def healthy():
        try:
            return requests.get(url + "/sim/health", timeout=1).status_code == 200
        except requests.ConnectionError:
            return process.poll() is not None  # ended: the assertion below says so

    wait_until(healthy, what="the simulator to listen")
    assert process.poll() is None, "the simulator exited"
    yield url
    process.terminate()
    process.wait(timeout=10)


def place_call(simulator, product, to, query):
    requests.post(simulator + "/sim/scenarios", json={"to": to, "lines": ["Hello", "Goodbye"]},
                  timeout=5).raise_for_status()
    auth = base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    response = requests.post(f"{simulator}/2010-04-01/Accounts/{ACCOUNT}/Calls.json", data={
        "To": to, "From": "+15550001000", "Url": f"{product.url}/voice/outbound?{query}",
        "StatusCallback": f"{product.url}/call-status", "Record": "true",
        "RecordingStatusCallback": f"{product.url}/recording-status",
    }, headers={"Authorization": "Basic " + auth}, timeout=5)
    assert response.status_code == 201, response.text
    return response.json()["sid"]


def report(simulator, sid):
    return requests.get(f"{simulator}/sim/calls/{sid}", params={"wait": "1", "timeout": "30"}, timeout=40).json()


def test_every_webhook_arrives_at_the_url_it_was_signed_for(simulator, product):
    query = "agent_id=a&initial_message=Hi%2C%20it%27s%20Sam%21"
    sid = place_call(simulator, product, "+15550002001", query)
    call = report(simulator, sid)
    assert call["done"] and call["errors"] == [] and call["status"] == "completed", call
    with product.lock:
        received = [entry for entry in product.received if entry[2].get("CallSid") == sid]
    paths = [path for path, _, _ in received]
    assert paths[0] == "/voice/outbound?" + query
    assert "/voice/process-speech?step=1%2C2&note=caf%C3%A9" in paths
    assert {"/call-status", "/recording-status"} <= set(paths)
    validator = RequestValidator(TOKEN)
    for path, signature, form in received:
        assert validator.validate(product.url + path, form, signature), path


def test_many_calls_at_once_all_end_without_errors(simulator, product):
    sids = [place_call(simulator, product, f"+155500030{n:02d}", "agent_id=a") for n in range(40)]
    reports = [report(simulator, sid) for sid in sids]
    assert [r["sid"] for r in reports if not r["done"] or r["errors"] or r["status"] != "completed"] == []
    assert all(sum(e["type"] == "caller" for e in r["events"]) == 2 for r in reports)
