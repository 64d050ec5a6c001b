"""HTTP front of the simulator: Twilio's REST API and the /sim control API.

One asyncio event loop runs the server and every call's callee (a task per
call, one shared pool of keep-alive connections to the product's webhooks), so
a thousand live calls cost no threads and the REST API answers between them."""
import asyncio
import base64
import json
import re
import sys
import time
import urllib.parse

import aiohttp
from aiohttp import web
from twilio.request_validator import RequestValidator

from . import twiml
from .callee import Callee
from .calls import Call, Registry, Scenario

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
CALLS = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Calls(?:/(CA\w+))?\.json$")
RECORDING = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Recordings/(RE\w+?)(\.wav|\.mp3|\.json)?$")
SIM_CALL = re.compile(r"^/sim/calls/(CA\w+)(/events|/say)?$")
# Bursts of simultaneous connections must wait in the backlog, not be reset.
LISTEN_BACKLOG = 1024


class Simulator:
    def __init__(self, *, account_sid, auth_token, public_url, api_base):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.public_url = public_url
        self.api_base = api_base
        self.registry = Registry()
        self.validator = RequestValidator(auth_token)
        self.http = None  # the webhooks' connection pool, made on the event loop (open_connections)
        self.running = set()  # the callees' tasks: the loop itself keeps only weak references

    async def open_connections(self):
        # No cap on connections: Twilio opens as many as it needs, so a slow
        # product makes webhooks wait at nginx, not in a queue of ours. Idle
        # ones close before nginx's keepalive_timeout (65 s) would close them
        # under a request being sent.
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=60)
        self.http = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())

    def start_call(self, call):
        self.registry.add(call)
        callee = Callee(call, validator=self.validator, http=self.http, api_base=self.api_base,
                        registry=self.registry)
        task = asyncio.get_running_loop().create_task(callee.run(), name=call.sid)
        self.running.add(task)
        task.add_done_callback(self.running.discard)


def reply(status, body, content_type="application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return web.Response(status=status, body=data, headers={"Content-Type": content_type})


def twilio_error(status, code, message):
    return reply(status, {"code": code, "message": message, "status": status,
                          "more_info": f"https://www.twilio.com/docs/errors/{code}"})


def form_of(data):
    return dict(urllib.parse.parse_qsl(data.decode(), keep_blank_values=True))


def json_of(data):
    return json.loads(data or b"{}")


def log_request(request, status):
    """One JSON line per request on stdout."""
    path = request.raw_path.split("?")[0]
    sys.stdout.write(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                 "method": request.method, "path": path, "status": status}) + "\n")
    sys.stdout.flush()


class Routes:
    """The simulator's HTTP surface: every request goes through `dispatch`."""

    def __init__(self, sim):
        self.sim = sim

    async def dispatch(self, request):
        path = urllib.parse.urlsplit(request.raw_path).path
        if request.method == "GET":
            response = await self.get(request, path)
        elif request.method == "POST":
            response = await self.post(request, path)
        else:
            response = reply(501, {"error": "unsupported method"})
        log_request(request, response.status)
        return response

    def authorized(self, request, account):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user == self.sim.account_sid == account and password == self.sim.auth_token

    # -- routes -------------------------------------------------------

    async def get(self, request, path):
        sim = self.sim
        if path == "/sim/health":
            return reply(200, {"status": "ok"})
        if path == "/sim/calls":
            return reply(200, [c.report() for c in list(sim.registry.calls.values())])
        if path == "/sim/updates":
            return reply(200, list(sim.registry.updates))
        match = SIM_CALL.match(path)
        if match:
            return await self.sim_call(request, match.group(1), match.group(2))
        match = CALLS.match(path)
        if match and match.group(2):
            if not self.authorized(request, match.group(1)):
                return twilio_error(401, 20003, "Authenticate")
            call = sim.registry.get(match.group(2))
            if not call:
                return twilio_error(404, 20404, "The requested resource was not found")
            return reply(200, call.resource(sim.api_base))
        match = RECORDING.match(path)
        if match:
            return self.recording(request, match.group(1), match.group(2), match.group(3) or "")
        return reply(404, {"error": "not_found"})

    async def post(self, request, path):
        sim = self.sim
        body = await request.read()
        if path == "/sim/reset":
            sim.registry.reset()
            return reply(200, {"status": "reset"})
        if path == "/sim/scenarios":
            spec = json_of(body)
            sim.registry.register_scenario(spec["to"], spec)
            return reply(201, {"to": spec["to"]})
        if path == "/sim/inbound":
            return self.inbound(json_of(body))
        match = SIM_CALL.match(path)
        if match and match.group(2) == "/say":
            call = sim.registry.get(match.group(1))
            if not call:
                return reply(404, {"error": "no such call"})
            call.inputs.put_nowait(json_of(body))
            return reply(202, {"queued": True})
        match = CALLS.match(path)
        if match and not match.group(2):
            return self.create_call(request, match.group(1), form_of(body))
        if match:
            return self.update_call(request, match.group(1), match.group(2), form_of(body))
        return reply(404, {"error": "not_found"})

    def create_call(self, request, account, form):
        sim = self.sim
        if not self.authorized(request, account):
            return twilio_error(401, 20003, "Authenticate")
        for field in ("To", "From"):
            if not E164.match(form.get(field, "")):
                return twilio_error(400, 21211 if field == "To" else 21212,
                                    f"The '{field}' number {form.get(field, '')} is not a valid phone number.")
        if not form.get("Url") and not form.get("Twiml"):
            return twilio_error(400, 21205, "Url parameter is required.")
        scenario = sim.registry.scenario_for(form["To"])
        if scenario.refuse:
            refusal = scenario.refuse
            return twilio_error(int(refusal.get("status", 400)), int(refusal.get("code", 21215)),
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
        return reply(201, resource)

    def update_call(self, request, account, sid, form):
        """Twilio's call update: new TwiML replaces what the call is playing
        (`Twiml`), or `Status=completed` hangs up. Every request is logged
        (GET /sim/updates) with the status it was answered."""
        sim = self.sim

        def refuse(status, code, message):
            sim.registry.log_update({"sid": sid, "params": form, "status": status, "code": code})
            return twilio_error(status, code, message)

        if not self.authorized(request, account):
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
        return reply(200, call.resource(sim.api_base))

    def inbound(self, spec):
        sim = self.sim
        call = Call(direction="inbound", to=spec["to"], from_=spec["from"],
                    url=spec.get("url") or sim.public_url + "/voice/inbound", account_sid=sim.account_sid,
                    status_callback=spec.get("status_callback") or sim.public_url + "/call-status",
                    status_events=["completed"], record=bool(spec.get("record", False)),
                    scenario=Scenario(spec))
        sim.start_call(call)
        return reply(201, {"sid": call.sid})

    def recording(self, request, account, sid, extension):
        if not self.authorized(request, account):
            return twilio_error(401, 20003, "Authenticate")
        call = self.sim.registry.recordings.get(sid)
        if not call:
            return twilio_error(404, 20404, "The requested resource was not found")
        rec = call.recording
        rec["fetches"] += 1
        if rec["not_found_left"] > 0:
            rec["not_found_left"] -= 1
            return twilio_error(404, 20404, "The requested resource was not found")
        if extension == ".json":
            return reply(200, {"sid": sid, "call_sid": call.sid, "duration": str(rec["duration"]),
                               "status": "completed"})
        if extension == ".mp3":
            return twilio_error(404, 20404, "This simulator serves recordings as .wav only")
        rec["served"] = rec.get("served", 0) + 1
        return reply(200, rec["bytes"], "audio/x-wav")

    async def sim_call(self, request, sid, sub):
        call = self.sim.registry.get(sid)
        if not call:
            return reply(404, {"error": "no such call"})
        params = dict(urllib.parse.parse_qsl(request.query_string))
        timeout = float(params.get("timeout", "0"))
        if sub == "/events":
            after = int(params.get("after", "0"))
            events = await call.events_after(after, timeout)
            return reply(200, {"events": events, "next": after + len(events), "done": call.done.is_set(),
                               "status": call.status})
        if params.get("wait"):
            await call.wait_until_done(timeout or 60)
        return reply(200, call.report())


async def run_server(host, port, sim):
    await sim.open_connections()
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", Routes(sim).dispatch)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host, port, backlog=LISTEN_BACKLOG).start()
    await asyncio.Event().wait()  # until the process is stopped


def serve(host, port, sim):
    asyncio.run(run_server(host, port, sim))
