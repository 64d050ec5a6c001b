"""HTTP front of the simulator: Twilio's REST API and the /sim control API."""
import base64
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import twiml
from .callee import Callee
from .calls import Call, Registry, Scenario

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
CALLS = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Calls(?:/(CA\w+))?\.json$")
RECORDING = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Recordings/(RE\w+?)(\.wav|\.mp3|\.json)?$")
SIM_CALL = re.compile(r"^/sim/calls/(CA\w+)(/events|/say)?$")


class Simulator:
    def __init__(self, *, account_sid, auth_token, public_url, api_base):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.public_url = public_url
        self.api_base = api_base
        self.registry = Registry()

    def start_call(self, call):
        self.registry.add(call)
        callee = Callee(call, auth_token=self.auth_token, api_base=self.api_base, registry=self.registry)
        threading.Thread(target=callee.run, name=call.sid, daemon=True).start()


def make_handler(sim):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # one JSON line per request on stdout
            print(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "method": self.command, "path": self.path.split("?")[0],
                              "status": args[1] if len(args) > 1 else None}), flush=True)

        # -- helpers ------------------------------------------------------

        def reply(self, status, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def twilio_error(self, status, code, message):
            self.reply(status, {"code": code, "message": message, "status": status,
                                "more_info": f"https://www.twilio.com/docs/errors/{code}"})

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def authorized(self, account):
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return False
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return False
            return user == sim.account_sid == account and password == sim.auth_token

        def query(self):
            return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))

        # -- routes -------------------------------------------------------

        def do_GET(self):
            path = urllib.parse.urlsplit(self.path).path
            if path == "/sim/health":
                return self.reply(200, {"status": "ok"})
            if path == "/sim/calls":
                return self.reply(200, [c.report() for c in list(sim.registry.calls.values())])
            if path == "/sim/updates":
                with sim.registry.lock:
                    return self.reply(200, list(sim.registry.updates))
            match = SIM_CALL.match(path)
            if match:
                return self.sim_call(match.group(1), match.group(2))
            match = CALLS.match(path)
            if match and match.group(2):
                if not self.authorized(match.group(1)):
                    return self.twilio_error(401, 20003, "Authenticate")
                call = sim.registry.get(match.group(2))
                if not call:
                    return self.twilio_error(404, 20404, "The requested resource was not found")
                return self.reply(200, call.resource(sim.api_base))
            match = RECORDING.match(path)
            if match:
                return self.recording(match.group(1), match.group(2), match.group(3) or "")
            self.reply(404, {"error": "not_found"})

        def do_POST(self):
            path = urllib.parse.urlsplit(self.path).path
            if path == "/sim/reset":
                sim.registry.reset()
                return self.reply(200, {"status": "reset"})
            if path == "/sim/scenarios":
                spec = json.loads(self.body() or b"{}")
                sim.registry.register_scenario(spec["to"], spec)
                return self.reply(201, {"to": spec["to"]})
            if path == "/sim/inbound":
                return self.inbound(json.loads(self.body() or b"{}"))
            match = SIM_CALL.match(path)
            if match and match.group(2) == "/say":
                call = sim.registry.get(match.group(1))
                if not call:
                    return self.reply(404, {"error": "no such call"})
                call.inputs.put(json.loads(self.body() or b"{}"))
                return self.reply(202, {"queued": True})
            match = CALLS.match(path)
            if match and not match.group(2):
                return self.create_call(match.group(1))
            if match:
                return self.update_call(match.group(1), match.group(2))
            self.reply(404, {"error": "not_found"})

        def create_call(self, account):
            if not self.authorized(account):
                return self.twilio_error(401, 20003, "Authenticate")
            form = dict(urllib.parse.parse_qsl(self.body().decode(), keep_blank_values=True))
            for field in ("To", "From"):
                if not E164.match(form.get(field, "")):
                    return self.twilio_error(400, 21211 if field == "To" else 21212,
                                             f"The '{field}' number {form.get(field, '')} is not a valid phone number.")
            if not form.get("Url") and not form.get("Twiml"):
                return self.twilio_error(400, 21205, "Url parameter is required.")
            scenario = sim.registry.scenario_for(form["To"])
            if scenario.refuse:
                refusal = scenario.refuse
                return self.twilio_error(int(refusal.get("status", 400)), int(refusal.get("code", 21215)),
                                         refusal.get("message", f"Account not authorized to call {form['To']}."))
            events = form.get("StatusCallbackEvent", "completed").replace(",", " ").split()
            call = Call(direction="outbound-api", to=form["To"], from_=form["From"], url=form.get("Url"),
                        method=form.get("Method", "POST"), account_sid=account,
                        status_callback=form.get("StatusCallback"), status_events=events + ["completed"],
                        record=form.get("Record", "false").lower() == "true",
                        machine_detection=form.get("MachineDetection"),
                        recording_status_callback=form.get("RecordingStatusCallback"),
                        scenario=scenario, time_limit=int(form.get("TimeLimit", 14400)))
            call.add_event("created", params=form)
            resource = call.resource(sim.api_base)
            sim.start_call(call)
            self.reply(201, resource)

        def update_call(self, account, sid):
            """Twilio's call update: new TwiML replaces what the call is playing
            (`Twiml`), or `Status=completed` hangs up. Every request is logged
            (GET /sim/updates) with the status it was answered."""
            form = dict(urllib.parse.parse_qsl(self.body().decode(), keep_blank_values=True))

            def refuse(status, code, message):
                sim.registry.log_update({"sid": sid, "params": form, "status": status, "code": code})
                self.twilio_error(status, code, message)

            if not self.authorized(account):
                return refuse(401, 20003, "Authenticate")
            call = sim.registry.get(sid)
            if not call:
                return refuse(404, 20404, f"The requested resource /2010-04-01/Accounts/{account}/Calls/{sid}.json was not found")
            if call.scenario.refuse_update:
                refusal = call.scenario.refuse_update
                return refuse(int(refusal.get("status", 400)), int(refusal.get("code", 21220)),
                              refusal.get("message", "Call is not in-progress. Cannot redirect."))
            document, status = form.get("Twiml"), form.get("Status")
            if status not in (None, "completed") or (document is None) == (status is None):
                return refuse(400, 21205, "This simulator updates a call with either Twiml or Status=completed")
            if call.status != "in-progress" or call.done.is_set():
                return refuse(400, 21220, "Call is not in-progress. Cannot redirect.")
            if document is not None:
                try:
                    update = {"verbs": twiml.parse(document)}
                except twiml.TwiMLError as error:
                    return refuse(400, 12100, f"Document parse failure: {error}")
            else:
                update = {"hangup": True}
            call.add_event("update", twiml=document, status=status)
            call.interrupt(update)
            sim.registry.log_update({"sid": sid, "params": form, "status": 200, "code": None})
            self.reply(200, call.resource(sim.api_base))

        def inbound(self, spec):
            call = Call(direction="inbound", to=spec["to"], from_=spec["from"],
                        url=spec.get("url") or sim.public_url + "/voice/inbound", account_sid=sim.account_sid,
                        status_callback=spec.get("status_callback") or sim.public_url + "/call-status",
                        status_events=["completed"], record=bool(spec.get("record", False)),
                        scenario=Scenario(spec))
            sim.start_call(call)
            self.reply(201, {"sid": call.sid})

        def recording(self, account, sid, extension):
            if not self.authorized(account):
                return self.twilio_error(401, 20003, "Authenticate")
            call = sim.registry.recordings.get(sid)
            if not call:
                return self.twilio_error(404, 20404, "The requested resource was not found")
            rec = call.recording
            rec["fetches"] += 1
            if rec["not_found_left"] > 0:
                rec["not_found_left"] -= 1
                return self.twilio_error(404, 20404, "The requested resource was not found")
            if extension == ".json":
                return self.reply(200, {"sid": sid, "call_sid": call.sid, "duration": str(rec["duration"]),
                                        "status": "completed"})
            if extension == ".mp3":
                return self.twilio_error(404, 20404, "This simulator serves recordings as .wav only")
            rec["served"] = rec.get("served", 0) + 1
            self.reply(200, rec["bytes"], "audio/x-wav")

        def sim_call(self, sid, sub):
            call = sim.registry.get(sid)
            if not call:
                return self.reply(404, {"error": "no such call"})
            params = self.query()
            timeout = float(params.get("timeout", "0"))
            if sub == "/events":
                after = int(params.get("after", "0"))
                with call.changed:
                    call.changed.wait_for(lambda: len(call.events) > after or call.done.is_set(), timeout=timeout)
                    events = call.events[after:]
                return self.reply(200, {"events": events, "next": after + len(events), "done": call.done.is_set(),
                                        "status": call.status})
            if params.get("wait"):
                call.done.wait(timeout or 60)
            self.reply(200, call.report())

    return Handler


class SimulatorServer(ThreadingHTTPServer):
    # The default backlog of 5 resets bursts of simultaneous connections.
    request_queue_size = 256


def serve(host, port, sim):
    server = SimulatorServer((host, port), make_handler(sim))
    server.daemon_threads = True
    server.serve_forever()
