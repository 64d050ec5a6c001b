"""Call storm: K simulated calls of T caller turns at once, through the Twilio
simulator and a running stack in local mode. Prints figures; asserts nothing.

    .venv/bin/python tools/bench/call_storm.py --api http://127.0.0.1:8080 \
        --sim http://127.0.0.1:4567 --api-key KEY --var-dir var [--calls 20] [--turns 10]

Figures:
  turns/s     caller turns (POST /voice/process-speech) of all calls over the wall
              time from the first /make-call to the end of the last call
  latency     per endpoint, p50/p99/max of nginx's $upstream_response_time (the
              endpoint's own time, without the simulator's Python; nginx logs whole
              milliseconds) and of the round trip the simulator measured
  DynamoDB    requests per call by operation (and S3 requests by method), from the
              emulator's request log, once the worker has finalized every call
              (no live session left and, with --voicectl, an empty outbox)
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timezone

import requests

# The caller's lines: the support agent's three fields, then questions the rule
# engine answers without ending the call; the last turn says goodbye.
DATA_LINES = ["My name is Alex Turner", "alex at example dot com", "My router keeps restarting every night"]
FILLER_LINES = ["Can you help me?", "What time is it?", "What is the date today?",
                "I also have a question about billing", "Can you repeat that?"]
GOODBYE = "Okay, that's all. Goodbye"


def caller_lines(turns):
    lines = DATA_LINES[:turns - 1]
    while len(lines) < turns - 1:
        lines.append(FILLER_LINES[(len(lines) - len(DATA_LINES)) % len(FILLER_LINES)])
    return lines + [GOODBYE]


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, int(round(fraction * len(ordered) + 0.5)))
    return ordered[min(rank, len(ordered)) - 1]


def endpoint_of(path):
    path = urllib.parse.urlsplit(path).path
    return re.sub(r"^/session/[^/]+$", "/session/{sid}", path)


def file_size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


def read_json_lines(path, offset, end=None):
    """JSON objects appended to `path` between byte `offset` and `end` (default: the end)."""
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read() if end is None else handle.read(max(0, end - offset))
    text = data.decode("utf-8", errors="replace")
    # moto's recorder writes from several threads, and under load two objects can
    # land on one line before their newlines: decode object after object instead
    # of line by line.
    decoder, position = json.JSONDecoder(), 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            return entries
        try:
            entry, position = decoder.raw_decode(text, position)
            entries.append(entry)
        except ValueError:  # a torn line (the log's last, still being written): skip it
            newline = text.find("\n", position)
            if newline < 0:
                return entries
            position = newline + 1


class Storm:
    def __init__(self, args):
        self.args = args
        self.http = requests.Session()
        self.auth = {"Authorization": f"Bearer {args.api_key}"}
        self.lock = threading.Lock()
        self.sids = []
        self.failures = []

    def number(self, index):
        return f"+1555031{index:04d}"

    def place(self, index, start_gate):
        """One caller: waits for the others, then asks the stack for its call."""
        start_gate.wait()
        try:
            response = requests.post(self.args.api + "/make-call", json={
                "agent_id": self.args.agent, "to_number": self.number(index)}, headers=self.auth, timeout=30)
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code} {response.text[:200]}")
            with self.lock:
                self.sids.append(response.json()["call_sid"])
        except Exception as error:  # a failed call is a figure, not the end of the run
            with self.lock:
                self.failures.append(f"make-call {self.number(index)}: {error}")

    def run(self):
        """Places every call at once; returns the wall time until the last one ended."""
        args = self.args
        # The simulator's HTTP server has a short listen backlog: register the
        # scenarios one by one beforehand, and watch the calls over one connection.
        for index in range(args.calls):
            self.http.post(args.sim + "/sim/scenarios", json={
                "to": self.number(index), "lines": caller_lines(args.turns)}, timeout=10).raise_for_status()
        gate = threading.Barrier(args.calls + 1)
        threads = [threading.Thread(target=self.place, args=(i, gate)) for i in range(args.calls)]
        for thread in threads:
            thread.start()
        gate.wait()
        started = time.time()  # the simulator stamps events with time.time() on this machine
        for thread in threads:
            thread.join()
        # One call at a time, each waited for until it ends: once the slowest has
        # been waited for, the rest answer at once. The calls' own event times
        # say when each ended.
        self.reports = [self.http.get(f"{args.sim}/sim/calls/{sid}", params={"wait": "1", "timeout": "120"},
                                      timeout=130).json() for sid in self.sids]
        last = max((e["at"] for r in self.reports for e in r["events"]), default=time.time())
        return last - started

    def outbox_jobs(self):
        """Jobs the worker has yet to do (needs --voicectl; else reported as none);
        -1 when the outbox could not be read."""
        if not self.args.voicectl:
            return 0
        result = subprocess.run([self.args.voicectl, "outbox", "--json"], capture_output=True, text=True, timeout=30)
        try:
            return len(json.loads(result.stdout)) if result.returncode == 0 else -1
        except ValueError:
            return -1

    def wait_until_finalized(self, aws_log, timeout=60):
        """Until no live session and no outbox job is left and the emulator's log
        stops growing; returns what is still pending ("" when nothing)."""
        deadline = time.monotonic() + timeout
        last_size, still_since = -1, time.monotonic()
        while True:
            sessions = self.http.get(self.args.api + "/sessions", headers=self.auth, timeout=10).json().get("count", 0)
            jobs = self.outbox_jobs()
            size = file_size(aws_log)
            if size != last_size:
                last_size, still_since = size, time.monotonic()
            if sessions == 0 and jobs == 0 and time.monotonic() - still_since > 1.0:
                return ""
            if time.monotonic() > deadline:
                return f"{sessions} live session(s), " + (f"{jobs} outbox job(s)" if jobs >= 0 else "outbox unreadable")
            time.sleep(0.25)


def print_latency_table(nginx_entries, reports):
    upstream = collections.defaultdict(list)
    for entry in nginx_entries:
        try:
            # Several values ("0.001, 0.002") when nginx retried another upstream: the last served it.
            seconds = float(str(entry.get("upstream_response_time", "")).split(",")[-1].strip())
        except ValueError:
            continue
        path = endpoint_of(entry.get("uri", ""))
        if path not in ("/health", "/ping"):  # scripts/start's readiness probes, not calls
            upstream[(entry.get("method", ""), path)].append(seconds * 1000)
    simulated = collections.defaultdict(list)
    for report in reports:
        for event in report["events"]:
            if event["type"] == "webhook" and event.get("seconds") is not None:
                simulated[("POST", endpoint_of(event["url"]))].append(event["seconds"] * 1000)

    print(f"\n{'endpoint':28} {'requests':>8}   {'nginx upstream ms':^22}   {'simulator round trip ms':^24}")
    print(f"{'':28} {'':>8}   {'p50':>6} {'p99':>7} {'max':>7}   {'p50':>7} {'p99':>7} {'max':>7}")
    for key in sorted(set(upstream) | set(simulated), key=lambda k: -len(upstream.get(k, simulated.get(k)))):
        method, path = key
        ours, theirs = upstream.get(key, []), simulated.get(key, [])
        cells = [f"{percentile(ours, .5):6.0f} {percentile(ours, .99):7.0f} {max(ours):7.0f}" if ours else f"{'-':>6} {'-':>7} {'-':>7}",
                 f"{percentile(theirs, .5):7.1f} {percentile(theirs, .99):7.1f} {max(theirs):7.1f}" if theirs else f"{'-':>7} {'-':>7} {'-':>7}"]
        print(f"{method + ' ' + path:28} {max(len(ours), len(theirs)):>8}   {cells[0]}   {cells[1]}")


def print_aws_requests(entries, calls):
    dynamodb, s3 = collections.Counter(), collections.Counter()
    for entry in entries:
        target = entry.get("headers", {}).get("X-Amz-Target", "")
        if target.startswith("DynamoDB_20120810."):
            dynamodb[target.split(".", 1)[1]] += 1
        elif not urllib.parse.urlsplit(entry.get("url", "")).path.startswith("/moto-api"):
            s3[entry.get("method", "?")] += 1
    print(f"\nAWS requests per call ({calls} calls, from the emulator's request log):")
    for name, counter in (("DynamoDB", dynamodb), ("S3", s3)):
        if not counter:
            print(f"  {name}: none")
            continue
        parts = ", ".join(f"{op} {count / calls:.2f}" for op, count in counter.most_common())
        print(f"  {name}: {sum(counter.values()) / calls:.2f} ({parts})")


def print_worker_lag(var_dir, reports):
    """Final status to complete record: from the simulator's completed status
    callback to the worker's "call finalized" line for the same call."""
    finalized = {}
    path = os.path.join(var_dir, "log", "worker.log")
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("message") == "call finalized" and entry.get("call_sid") not in finalized:
                stamp = datetime.strptime(entry["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
                finalized[entry["call_sid"]] = stamp.timestamp()
    lags = []
    for report in reports:
        sent = [e["at"] for e in report["events"] if e["type"] == "webhook" and e.get("kind") == "status:completed"]
        if sent and report["sid"] in finalized:
            lags.append(max(0.0, finalized[report["sid"]] - sent[0]) * 1000)
    if lags:
        print(f"\nworker lag, final status -> record complete ({len(lags)} calls): "
              f"p50 {percentile(lags, 0.5):.0f} ms   p99 {percentile(lags, 0.99):.0f} ms   max {max(lags):.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", required=True, help="the stack's URL (nginx)")
    parser.add_argument("--sim", required=True, help="the Twilio simulator's URL")
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--var-dir", required=True, help="the stack's VAR_DIR (for nginx's and the emulator's logs)")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--agent", default="customer-support-001")
    parser.add_argument("--voicectl", help="voicectl of the stack (same environment), to wait for the outbox to drain")
    args = parser.parse_args()
    if args.calls < 1 or args.turns < 1:
        parser.error("--calls and --turns must be at least 1")

    nginx_log = os.path.join(args.var_dir, "log", "nginx-access.log")
    aws_log = os.path.join(args.var_dir, "log", "local-aws-requests.jsonl")
    nginx_offset, aws_offset = file_size(nginx_log), file_size(aws_log)

    storm = Storm(args)
    wall = storm.run()
    reports = storm.reports
    # nginx flushes its access log every second; the end offset then leaves out the
    # GET /sessions polling below, which is not part of the calls.
    time.sleep(1.2)
    nginx_entries = read_json_lines(nginx_log, nginx_offset, file_size(nginx_log))
    pending = storm.wait_until_finalized(aws_log)

    turns = sum(1 for r in reports for e in r["events"]
                if e["type"] == "webhook" and "/voice/process-speech" in e.get("url", ""))
    complete = sum(1 for r in reports if r["done"] and not r["errors"]
                   and sum(e["type"] == "caller" for e in r["events"]) == args.turns)
    errors = [error for r in reports for error in r["errors"]] + storm.failures
    print(f"call storm: {args.calls} concurrent calls x {args.turns} turns, agent {args.agent}")
    print(f"  calls complete: {complete}/{args.calls}   errors: {len(errors)}"
          + (f" (first: {errors[0]})" if errors else ""))
    print(f"  wall: {wall:.2f} s   turns: {turns}   turns/s: {turns / wall:.0f}   calls/s: {len(reports) / wall:.1f}")
    print_latency_table(nginx_entries, reports)
    if pending:
        print(f"\n(still pending after 60 s: {pending}; the AWS counts below are partial)")
    print_aws_requests(read_json_lines(aws_log, aws_offset), max(1, len(reports)))
    print_worker_lag(args.var_dir, reports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
