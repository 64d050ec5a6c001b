"""Calls and scenarios: what the simulated callee says and what it heard.

Everything here lives on the simulator's one event loop: no locks."""
import asyncio
import secrets
import time


# Put in a call's input queue to wake a callee waiting for its next line: an
# update of the call (see Call.interrupt) is waiting to be played.
INTERRUPT = object()


def new_sid(prefix):
    return prefix + secrets.token_hex(16)


class Scenario:
    """What the callee does. `lines` items: a string (spoken with confidence 0.92),
    {"say": text, "confidence": c}, {"digits": "1234#"} (keys pressed), {"silence": true}
    or {"hangup": true}.
    `pause` (seconds, default 0) is how long the callee waits before each scripted
    line, as a person takes time to answer; a line object's own "pause" overrides it.
    `outcome` is the call's final status (completed, or busy, no-answer, failed,
    canceled: never answered); `answered_by` what machine detection reports.
    `refuse` ({"status", "code", "message"}) makes the REST create answer that
    Twilio error instead of placing the call, as Twilio refuses a number it will
    not dial (e.g. 400, 21215, geographic permissions). `refuse_update` does the
    same for every update of the call through the REST API (e.g. 400, 21220:
    the call ended on Twilio's side; or 503)."""

    def __init__(self, spec=None):
        spec = dict(spec or {})
        self.lines = list(spec.get("lines", []))
        self.interactive = bool(spec.get("interactive", False))
        self.outcome = spec.get("outcome", "completed")
        self.answered_by = spec.get("answered_by", "human")
        self.recording_not_found = int(spec.get("recording_not_found", 0))
        self.duplicate_completed = bool(spec.get("duplicate_completed", False))
        self.recording_seconds = float(spec.get("recording_seconds", 2.0))
        self.sticky = bool(spec.get("sticky", False))
        self.pause = float(spec.get("pause", 0))
        self.refuse = spec.get("refuse")
        # How a <Dial> (a transfer to a person) ends: {"status", "duration"}.
        self.dial = spec.get("dial")
        self.refuse_update = spec.get("refuse_update")


class Call:
    def __init__(self, *, direction, to, from_, url, method="POST", account_sid, status_callback=None,
                 status_events=("completed",), status_method="POST", record=False, machine_detection=None,
                 recording_status_callback=None, scenario=None, time_limit=14400):
        self.sid = new_sid("CA")
        self.account_sid = account_sid
        self.direction = direction
        self.to = to
        self.from_ = from_
        self.url = url
        self.method = method
        self.status_callback = status_callback
        self.status_events = set(status_events)
        self.status_method = status_method
        self.record = record
        self.machine_detection = machine_detection
        # Twilio's TimeLimit: the call is cut this many seconds after it is answered.
        self.time_limit = time_limit
        self.recording_status_callback = recording_status_callback
        self.scenario = scenario or Scenario()
        self.status = "queued"
        self.created = time.time()
        self.answered = None
        self.ended = None
        self.duration = None
        self.ended_by = None
        self.recording = None
        self.events = []
        self.errors = []
        self.inputs = asyncio.Queue()
        self.done = asyncio.Event()
        # Set (and dropped) by the next event; made only while someone waits for one.
        self.changed = None
        self.pending_update = None

    def add_event(self, event_type, **fields):
        self.events.append(dict(fields, type=event_type, at=time.time()))
        self.wake_watchers()

    def wake_watchers(self):
        if self.changed is not None:
            self.changed.set()
            self.changed = None

    def end(self):
        self.done.set()
        self.wake_watchers()

    async def events_after(self, after, timeout):
        """The events after number `after`, once there is one, the call ended or `timeout` s passed."""
        deadline = time.monotonic() + timeout
        while len(self.events) <= after and not self.done.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if self.changed is None:
                self.changed = asyncio.Event()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except asyncio.TimeoutError:
                break
        return self.events[after:]

    async def wait_until_done(self, timeout):
        try:
            await asyncio.wait_for(self.done.wait(), timeout)
        except asyncio.TimeoutError:
            pass

    def interrupt(self, update):
        """An update from the REST API ({"verbs": [...]} or {"hangup": True}):
        the callee drops what it is playing and plays this instead. The last
        update not yet played wins, as on Twilio."""
        self.pending_update = update
        self.inputs.put_nowait(INTERRUPT)

    def take_update(self):
        update, self.pending_update = self.pending_update, None
        return update

    def error(self, message):
        self.errors.append(message)
        self.add_event("error", message=message)

    def resource(self, base):
        """The call as Twilio's REST API shows it."""
        return {
            "sid": self.sid,
            "account_sid": self.account_sid,
            "to": self.to,
            "from": self.from_,
            "status": self.status,
            "direction": self.direction,
            "duration": None if self.duration is None else str(self.duration),
            "answered_by": self.scenario.answered_by if self.machine_detection else None,
            "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Calls/{self.sid}.json",
        }

    def report(self):
        """Everything the callee saw, for tests and `voicectl call`."""
        return {
            "sid": self.sid,
            "direction": self.direction,
            "to": self.to,
            "from": self.from_,
            "status": self.status,
            "duration": self.duration,
            "ended_by": self.ended_by,
            "done": self.done.is_set(),
            "recording": None if not self.recording else {
                k: v for k, v in self.recording.items() if k != "bytes"},
            "errors": list(self.errors),
            "events": list(self.events),
        }


class Registry:
    """Calls by SID and scenarios waiting for the next call to a number."""

    def __init__(self):
        self.calls = {}
        self.scenarios = {}
        self.recordings = {}
        # Every call update the REST API received, refused ones included.
        self.updates = []

    def log_update(self, entry):
        self.updates.append(dict(entry, at=time.time()))

    def add(self, call):
        self.calls[call.sid] = call

    def get(self, sid):
        return self.calls.get(sid)

    def register_scenario(self, number, spec):
        self.scenarios[number] = Scenario(spec)

    def scenario_for(self, number):
        scenario = self.scenarios.get(number)
        if scenario and not scenario.sticky:
            del self.scenarios[number]
        return scenario or Scenario()

    def reset(self):
        self.calls.clear()
        self.scenarios.clear()
        self.recordings.clear()
        self.updates.clear()
