"""Helpers for the voice e2e tests: a stack in local mode (AWS emulator and
Twilio simulator), boto3 clients on the emulator, and calls driven through the
simulator. The checks read DynamoDB with boto3 and sign with the twilio package,
sharing no code with the product."""
import collections
import json
import os
import time
import xml.etree.ElementTree as ElementTree

import boto3
import pytest
import requests
from twilio.request_validator import RequestValidator

from conftest import wait_until

API_KEY = "e2e-operator-key"
AUTH_TOKEN = "local-simulator-auth-token"  # what scripts/start gives the stack in local mode


def local_env(**extra):
    env = {"LOCAL_AWS": "true", "LOCAL_TWILIO": "true", "API_KEY": API_KEY}
    env.update(extra)
    return env


class Voice:
    """A stack in local mode, seen from outside."""

    def __init__(self, stack):
        self.stack = stack
        self.sim = f"http://127.0.0.1:{stack.env['TWILIO_SIM_PORT']}"
        self.aws = f"http://127.0.0.1:{stack.env['LOCAL_AWS_PORT']}"
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                        region_name="us-east-1")
        self.dynamodb = session.client("dynamodb", endpoint_url=self.aws)
        self.ddb = session.resource("dynamodb", endpoint_url=self.aws)
        self.s3 = session.client("s3", endpoint_url=self.aws)
        self.validator = RequestValidator(AUTH_TOKEN)

    # -- operator API ---------------------------------------------------------

    def make_call(self, agent_id, to, key=API_KEY, **extra):
        body = dict(agent_id=agent_id, to_number=to, **extra)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return requests.post(self.stack.url + "/make-call", json=body, headers=headers, timeout=15)

    def session(self, call_sid):
        """The live session, or None when the call has none (404 exactly: any other
        answer is a failure, so "the session is gone" cannot pass on a broken /session)."""
        response = requests.get(f"{self.stack.url}/session/{call_sid}",
                                headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, f"GET /session/{call_sid}: {response.status_code} {response.text[:200]}"
        return response.json()

    # -- the simulator --------------------------------------------------------

    def scenario(self, to, lines, **options):
        response = requests.post(self.sim + "/sim/scenarios", json=dict(to=to, lines=lines, **options), timeout=5)
        assert response.status_code == 201, response.text

    def call_report(self, sid, wait=True, timeout=90):
        params = {"wait": "1", "timeout": str(timeout)} if wait else {}
        report = requests.get(f"{self.sim}/sim/calls/{sid}", params=params, timeout=timeout + 10).json()
        if wait:
            assert report["done"], f"call {sid} did not finish: {report}"
        return report

    def scripted_call(self, agent_id, to, lines):
        """An outbound call whose callee says `lines`; returns (sid, finished report)."""
        self.scenario(to, lines)
        response = self.make_call(agent_id, to)
        assert response.status_code == 200, response.text
        sid = response.json()["call_sid"]
        return sid, self.call_report(sid)

    def inbound(self, from_, to, lines, **options):
        response = requests.post(self.sim + "/sim/inbound",
                                 json=dict({"from": from_, "to": to, "lines": lines}, **options), timeout=5)
        assert response.status_code == 201, response.text
        return response.json()["sid"]

    def say(self, sid, text=None, **line):
        payload = dict(line)
        if text is not None:
            payload["say"] = text
        requests.post(f"{self.sim}/sim/calls/{sid}/say", json=payload, timeout=5).raise_for_status()

    def events(self, sid, after=0, timeout=10):
        return requests.get(f"{self.sim}/sim/calls/{sid}/events", params={"after": after, "timeout": timeout},
                            timeout=timeout + 5).json()

    def wait_for_agent(self, sid, after=0):
        """Waits until the agent speaks after event number `after`; returns the next event number."""
        def spoke():
            events = self.events(sid, after=after, timeout=1)
            return events["next"] if any(e["type"] == "agent" for e in events["events"]) else None
        return wait_until(spoke, what=f"the agent of {sid} to speak")

    def live_call(self, agent_id, to, lines=(), **options):
        """An outbound call that stays on the line: the caller says `lines`, each
        after the agent's reply, and then waits until `say` or `hang_up`. Its
        session cannot be finalized while the test looks at it. `options` are
        more scenario options (e.g. `refuse_update`)."""
        self.scenario(to, [], interactive=True, **options)
        response = self.make_call(agent_id, to)
        assert response.status_code == 200, response.text
        sid = response.json()["call_sid"]
        seen = self.wait_for_agent(sid)
        for line in lines:
            self.say(sid, line)
            seen = self.wait_for_agent(sid, after=seen)
        return sid

    def hang_up(self, sid):
        self.say(sid, hangup=True)
        return self.call_report(sid)

    # -- signing our own webhook requests ------------------------------------

    def signed_post(self, path, params, signature=None, query=""):
        url = self.stack.url + path + (("?" + query) if query else "")
        if signature is None:
            signature = self.validator.compute_signature(url, params)
        headers = {"X-Twilio-Signature": signature} if signature else {}
        return requests.post(url, data=params, headers=headers, timeout=15)

    # -- DynamoDB ---------------------------------------------------------------

    def call_record(self, sid):
        return self.ddb.Table("VoiceAssistant_Calls").get_item(Key={"call_sid": sid}, ConsistentRead=True).get("Item")

    def final_record(self, sid, status="completed", timeout=90):
        """The call record once the worker has finalized it.

        The emulator applies an UpdateItem one clause at a time with no lock, so a
        read can see a finalization half applied (`ended_at` set, `ended_by` not
        yet). A final record is taken once two reads in a row agree."""
        previous = {}

        def final():
            record = self.call_record(sid)
            if not (record and record.get("ended_at") and record.get("status") == status):
                return None
            settled = record == previous.get("record")
            previous["record"] = record
            return record if settled else None
        return wait_until(final, timeout=timeout, interval=0.2, what=f"final record of {sid}")

    def dynamodb_requests(self):
        """DynamoDB operations the emulator served so far, in order, from its request log."""
        return [operation for operation, _ in self._dynamodb_calls()]

    def dynamodb_operations(self):
        """DynamoDB operations the stack sent, by name, from the emulator's log
        (the tests' own boto3 reads are left out by their User-Agent)."""
        return collections.Counter(operation for operation, by_tests in self._dynamodb_calls() if not by_tests)

    def _dynamodb_calls(self):
        """Each DynamoDB request in the emulator's log, in order: its operation,
        and whether the tests' boto3 sent it."""
        for entry in self.emulator_requests():
            headers = {k.lower(): v for k, v in entry.get("headers", {}).items()}
            target = headers.get("x-amz-target", "")
            if target.startswith("DynamoDB_20120810."):
                yield target.split(".", 1)[1], "boto" in headers.get("user-agent", "").lower()

    def emulator_requests(self):
        """Every request in the emulator's log. Its threads can put two records on
        one line, so the log is read object by object, not line by line."""
        path = os.path.join(self.stack.var_dir, "log", "local-aws-requests.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as handle:
            text = handle.read()
        entries, decoder, position = [], json.JSONDecoder(), 0
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            if position >= len(text):
                return entries
            try:
                entry, position = decoder.raw_decode(text, position)
            except ValueError:
                return entries  # a record still being written
            entries.append(entry)


def voice_webhooks(report):
    return [e for e in report["events"] if e["type"] == "webhook" and e["kind"] == "voice"]


def parse_twiml(text):
    root = ElementTree.fromstring(text)
    assert root.tag == "Response"
    return root


def spoken(report, who):
    return [e.get("text") for e in report["events"] if e["type"] == who and "text" in e]


@pytest.fixture
def voice(make_stack):
    return Voice(make_stack(local_env()))


def operator_headers(key=API_KEY):
    return {"Authorization": f"Bearer {key}"} if key else {}


def create_agents(voice, *agents):
    """Stores agents through POST /agents, as an operator would."""
    for agent in agents:
        created = requests.post(f"{voice.stack.url}/agents", json=agent, headers=operator_headers(), timeout=15)
        assert created.status_code == 201, created.text


def assert_agent_change_refused(voice, agent_id, change, field):
    """A PATCH of `change` is a 4xx naming `field`, and the stored agent (read with boto3) is unchanged."""
    table = voice.ddb.Table("VoiceAssistant_Agents")
    before = table.get_item(Key={"agent_id": agent_id})["Item"]
    answer = requests.patch(f"{voice.stack.url}/agents/{agent_id}", json=change, headers=operator_headers(), timeout=15)
    assert answer.status_code in (400, 422), answer.text
    assert field in answer.json()["detail"]
    assert table.get_item(Key={"agent_id": agent_id})["Item"] == before
