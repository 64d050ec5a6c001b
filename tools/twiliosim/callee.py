"""Plays the callee of one call: Twilio's webhook sequence, signed."""
import asyncio
import functools
import time
import urllib.parse

import aiohttp
import requests.utils
import yarl

from . import twiml, wav
from .calls import INTERRUPT

WEBHOOK_TIMEOUT = aiohttp.ClientTimeout(total=15)  # Twilio gives up on a webhook after 15 s
TWILIO_HEADERS = {"User-Agent": "TwilioProxy/1.1"}
# What a request can fail with: no connection, a broken answer, no answer in time.
REQUEST_FAILURES = (aiohttp.ClientError, asyncio.TimeoutError)


@functools.lru_cache(maxsize=65536)
def form_quote(text):
    # A call's parameters repeat in each of its webhooks: quoting is most of encoding them.
    return urllib.parse.quote_plus(text)


def form_body(params):
    """The form encoding urllib.parse.urlencode gives."""
    return "&".join(form_quote(str(name)) + "=" + form_quote(str(value))
                    for name, value in params.items())


class Answer:
    """A webhook's answer, read whole."""

    def __init__(self, status_code, headers, content):
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self):
        return self.content.decode("utf-8", "replace")


class Interrupted(Exception):
    """A call update from the REST API cut into what the callee was playing."""

    def __init__(self, update):
        super().__init__("call updated")
        self.update = update


class Callee:
    def __init__(self, call, *, validator, http, api_base, registry):
        self.call = call
        self.validator = validator
        self.http = http
        self.api_base = api_base
        self.registry = registry
        self.script = list(call.scenario.lines)
        self.sequence = 0

    # -- webhooks ---------------------------------------------------------

    def base_params(self):
        call = self.call
        params = {
            "AccountSid": call.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": call.sid,
            "CallStatus": call.status,
            "Called": call.to,
            "Caller": call.from_,
            "Direction": call.direction,
            "From": call.from_,
            "To": call.to,
            "CalledCountry": "US",
            "CallerCountry": "US",
        }
        if call.machine_detection and call.answered:
            params["AnsweredBy"] = call.scenario.answered_by
        return params

    async def fetch(self, method, url, **options):
        # The URL goes out as signed: aiohttp would otherwise decode escapes
        # like %2C in the query. requote_uri is what requests did to it before.
        target = yarl.URL(requests.utils.requote_uri(url), encoded=True)
        async with self.http.request(method, target, timeout=WEBHOOK_TIMEOUT, **options) as response:
            return Answer(response.status, response.headers, await response.read())

    async def post(self, url, params, kind):
        signature = self.validator.compute_signature(url, params)
        started = time.monotonic()
        try:
            response = await self.fetch("POST", url, data=form_body(params), headers={
                "X-Twilio-Signature": signature,
                "User-Agent": "TwilioProxy/1.1",
                "Content-Type": "application/x-www-form-urlencoded",
            })
        except REQUEST_FAILURES as error:
            self.call.error(f"{kind} {url}: {type(error).__name__}: {error}")
            return None
        elapsed = time.monotonic() - started
        self.call.add_event("webhook", kind=kind, url=url, status=response.status_code,
                            seconds=round(elapsed, 6), body=response.text,
                            content_type=response.headers.get("Content-Type", ""))
        if response.status_code != 200:
            self.call.error(f"{kind} {url} answered {response.status_code}")
        return response

    async def status_callback(self, status, **extra):
        call = self.call
        if not call.status_callback:
            return
        event = {"initiated": "initiated", "ringing": "ringing", "in-progress": "answered"}.get(status, "completed")
        if event not in call.status_events:
            return
        self.sequence += 1
        params = dict(self.base_params(), CallStatus=status, SequenceNumber=str(self.sequence - 1),
                      CallbackSource="call-progress-events", Timestamp=time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()))
        params.update({key: str(value) for key, value in extra.items()})
        await self.post(call.status_callback, params, f"status:{status}")

    # -- the call ---------------------------------------------------------

    async def run(self):
        call = self.call
        try:
            outcome = call.scenario.outcome
            if call.direction == "outbound-api":
                call.status = "initiated"
                await self.status_callback("initiated")
                call.status = "ringing"
                await self.status_callback("ringing")
            if outcome != "completed":
                call.status = outcome
                call.ended = time.time()
                call.duration = 0
                call.ended_by = "callee"
                await self.status_callback(outcome, CallDuration=0, Duration=0)
                return
            call.status = "in-progress"
            call.answered = time.time()
            await self.status_callback("in-progress")
            await self.converse()
            await self.finish()
        except Exception as error:  # the simulator must report, not die
            call.error(f"simulator failure: {type(error).__name__}: {error}")
        finally:
            call.end()

    async def converse(self):
        url, params = self.call.url, self.base_params()
        while url:
            response = await self.post(url, params, "voice")
            if response is None or response.status_code != 200:
                self.call.ended_by = "error"
                return
            try:
                verbs = twiml.parse(response.text)
            except twiml.TwiMLError as error:
                self.call.error(f"TwiML from {url}: {error}")
                self.call.ended_by = "error"
                return
            url, params = await self.play(verbs, url)

    async def play(self, verbs, document_url):
        """Plays a document as `follow` does, except that a call update replaces
        whatever is playing (an update that came during the webhook drops its
        answer unplayed), as many times as updates come."""
        while True:
            try:
                self.check_update()
                return await self.follow(verbs, document_url)
            except Interrupted as interruption:
                if interruption.update.get("hangup"):
                    self.call.ended_by = "api"
                    self.call.add_event("hangup", by="api")
                    return None, None
                verbs, document_url = interruption.update["verbs"], self.call.url

    def check_update(self):
        update = self.call.take_update()
        if update:
            raise Interrupted(update)

    async def follow(self, verbs, document_url):
        """Plays one TwiML document; returns the next (url, params), or (None, None) at the end."""
        for verb in verbs:
            self.check_update()
            name, attributes = verb["verb"], verb["attributes"]
            if name == "Say":
                self.heard(verb)
            elif name == "Play":
                await self.listen(verb, document_url)
            elif name == "Gather":
                for child in verb["children"]:
                    if child["verb"] == "Say":
                        self.heard(child)
                    elif child["verb"] == "Play":
                        await self.listen(child, document_url)
                line = await self.next_line()
                action = urllib.parse.urljoin(document_url, attributes.get("action", document_url))
                if line is None or line.get("hangup"):
                    self.call.ended_by = "caller"
                    self.call.add_event("caller", hangup=True)
                    return None, None
                if line.get("silence"):
                    self.call.add_event("caller", silence=True)
                    if attributes.get("actionOnEmptyResult", "false").lower() == "true":
                        return action, self.base_params()
                    continue
                if line.get("digits") is not None:
                    if "dtmf" not in attributes.get("input", "speech").split():
                        self.call.error(f"keys pressed on a <Gather> without dtmf input: {attributes.get('input')}")
                        return None, None
                    # Twilio drops the finishOnKey from Digits.
                    digits = line["digits"].split(attributes.get("finishOnKey", "#") or "\0")[0]
                    self.call.add_event("caller", digits=digits)
                    return action, dict(self.base_params(), Digits=digits)
                self.call.add_event("caller", text=line["say"], confidence=line["confidence"])
                params = dict(self.base_params(), SpeechResult=line["say"], Confidence=str(line["confidence"]))
                return action, params
            elif name == "Dial":
                ended = self.dial(verb)
                if "action" in attributes:
                    action = urllib.parse.urljoin(document_url, attributes["action"])
                    return action, dict(self.base_params(), **ended)
                # Without an action Twilio goes on with the verbs after the <Dial>.
            elif name == "Redirect":
                return urllib.parse.urljoin(document_url, verb["text"]), self.base_params()
            elif name in ("Hangup", "Reject"):
                self.call.ended_by = "agent"
                self.call.add_event("hangup", by="agent")
                return None, None
        # Twilio ends the call when a document runs out of verbs.
        self.call.ended_by = self.call.ended_by or "agent"
        return None, None

    def dial(self, verb):
        """Rings the number of a <Dial> as the scenario says it goes
        ({"status": "completed" | "no-answer" | "busy" | "failed", "duration": s});
        returns Twilio's Dial* parameters."""
        outcome = dict({"status": "completed", "duration": 5}, **(self.call.scenario.dial or {}))
        number = verb["text"] or " ".join(child["text"] for child in verb["children"] if child["verb"] == "Number")
        self.call.add_event("dial", number=number, timeout=verb["attributes"].get("timeout"), status=outcome["status"])
        answered = outcome["status"] == "completed"
        return {"DialCallStatus": outcome["status"], "DialCallSid": "CA" + self.call.sid[2:][::-1],
                "DialCallDuration": str(outcome["duration"] if answered else 0)}

    def heard(self, say):
        self.call.add_event("agent", text=say["text"], voice=say["attributes"].get("voice"),
                            language=say["attributes"].get("language"))

    async def listen(self, play, document_url):
        """<Play>: fetches the file as Twilio would (GET) and checks it is a
        WAV Twilio can play on a phone call; a `played` event says what it was.
        Like Twilio, a file that cannot be played is an error and the call goes on."""
        url = urllib.parse.urljoin(document_url, play["text"])
        try:
            response = await self.fetch("GET", url, headers=TWILIO_HEADERS)
        except REQUEST_FAILURES as error:
            self.call.error(f"<Play> {url}: {type(error).__name__}: {error}")
            return
        if response.status_code != 200:
            self.call.error(f"<Play> {url} answered {response.status_code}")
            return
        try:
            facts = wav.describe(response.content)
        except wav.NotPlayable as error:
            self.call.error(f"<Play> {url}: {error}")
            return
        self.call.add_event("played", url=url, content_type=response.headers.get("Content-Type", ""),
                            bytes=len(response.content), **facts)

    async def next_line(self):
        """The callee's next line, once it is said; an update that comes
        meanwhile interrupts the wait (a scripted line then stays next, said
        without another pause)."""
        if self.call.scenario.interactive:
            line = await self.wait_for_input(600)
        elif self.script:
            line = self.script[0]
            try:
                await self.pause_before(line)
            except Interrupted:
                self.script[0] = dict(line, pause=0) if isinstance(line, dict) else {"say": line, "pause": 0}
                raise
            self.script.pop(0)
        else:
            self.check_update()
            return None
        if self.call.answered and time.time() - self.call.answered > self.call.time_limit:
            # Twilio cuts a call at its TimeLimit, whatever is being said.
            self.call.add_event("time-limit", seconds=self.call.time_limit)
            return {"hangup": True}
        if isinstance(line, str):
            return {"say": line, "confidence": 0.92}
        if "say" in line:
            return {"say": line["say"], "confidence": float(line.get("confidence", 0.92))}
        if "digits" in line:
            return {"digits": str(line["digits"])}
        return line

    async def pause_before(self, line):
        pause = line.get("pause") if isinstance(line, dict) else None
        pause = self.call.scenario.pause if pause is None else float(pause)
        deadline = time.monotonic() + pause
        self.check_update()
        # A scripted callee ignores typed input: only an update ends the pause early.
        while pause > 0 and time.monotonic() < deadline:
            try:
                await self.wait_for_input(deadline - time.monotonic())
            except asyncio.TimeoutError:
                return

    async def wait_for_input(self, timeout):
        """The next item of the call's input queue (a line sent to /sim/calls/SID/say);
        raises Interrupted when an update comes first, asyncio.TimeoutError after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            item = await self.next_input(deadline - time.monotonic())
            if item is not INTERRUPT:
                return item
            self.check_update()  # else an update already played at another point

    async def next_input(self, timeout):
        inputs = self.call.inputs
        if not inputs.empty():
            return inputs.get_nowait()
        if timeout <= 0:
            raise asyncio.TimeoutError
        return await asyncio.wait_for(inputs.get(), timeout)

    async def finish(self):
        call = self.call
        call.status = "completed"
        call.ended = time.time()
        call.duration = max(1, round(call.ended - call.answered))
        extra = {"CallDuration": call.duration, "Duration": max(1, (call.duration + 59) // 60)}
        if call.record:
            sid = "RE" + call.sid[2:]
            data = wav.recording(call.sid, call.scenario.recording_seconds)
            url = f"{self.api_base}/2010-04-01/Accounts/{call.account_sid}/Recordings/{sid}"
            call.recording = {"sid": sid, "url": url, "bytes": data, "size": len(data),
                              "not_found_left": call.scenario.recording_not_found, "fetches": 0,
                              "duration": int(call.scenario.recording_seconds)}
            self.registry.recordings[sid] = call
            extra.update(RecordingUrl=url, RecordingSid=sid, RecordingDuration=int(call.scenario.recording_seconds))
        repeats = 2 if call.scenario.duplicate_completed else 1
        for _ in range(repeats):
            await self.status_callback("completed", **extra)
        if call.record and call.recording_status_callback:
            params = {
                "AccountSid": call.account_sid, "CallSid": call.sid,
                "RecordingSid": call.recording["sid"], "RecordingUrl": call.recording["url"],
                "RecordingStatus": "completed", "RecordingDuration": str(call.recording["duration"]),
                "RecordingChannels": "1", "RecordingSource": "OutboundAPI",
                "RecordingStartTime": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(call.answered)),
            }
            await self.post(call.recording_status_callback, params, "recording-status")
