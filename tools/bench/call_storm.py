"""Call storm: simulated calls through the Twilio simulator and a running stack in
local mode. Prints figures; asserts nothing.

    .venv/bin/python tools/bench/call_storm.py --api http://127.0.0.1:8080 \\
        --sim http://127.0.0.1:4567 --api-key KEY --var-dir var --voicectl .build/release/voicectl \\
        [--calls 20 | --open 1000 --turn-interval 3] [--turns 10] [--aws-port P --pause-aws 20]
        [--llm-latency-ms 1000 --llm-url http://127.0.0.1:P --llm-pid PID]

Loads:
  closed      --calls K: K calls placed at once, each of --turns T caller turns
              spoken as soon as the agent has answered (plus --turn-interval, 0 by default)
  open        --open N: N calls started at a steady rate over T x S seconds
              (S = --turn-interval, 3 by default), each speaking a turn every
              ~S seconds (+-20 %), so about N are live at the peak
  Before either, one warm-up call (not counted) fills the agent cache, as on a
  stack that has been taking calls; --cold skips it.

Figures:
  calls       complete (every turn, no webhook error) and failed; turns/s
  latency     per endpoint, p50/p99/max of nginx's $upstream_response_time (the
              endpoint's own time) and $request_time (nginx's whole request), the
              round trip the simulator measured, and the answers other than 200
  outbox      jobs and live sessions every second until drained; the drain time
              from the end of the last call until the outbox is empty and
              GET /sessions lists no call
  AWS         requests per call by DynamoDB operation and S3 method (emulator's log)
  CPU         per program of the stack (and apart: emulator, simulator, proxy,
              supervisord, this load generator), from /proc, per call
  logs        error and warning lines the run added to the stack's logs
  LLM         (--llm-latency-ms, a stack led by the stand-in LLM tools/llmsim)
              turn time: nginx's upstream time of every turn and of the LLM's
              turns, the LLM time our client measured (`llm_ms` of the `llm turn`
              line, matched by request_id), the difference per turn (our
              overhead); which engine answered (the LLM, the rule engine
              instead and why, the rules' own turns); the most turns in flight at
              once against process-speech's threads, and turns taken after their
              deadline; VmRSS/VmHWM of each process-speech process; what the
              stand-in received; CPU per turn (a column of the CPU table, which
              lists the stand-in apart)
"""
import argparse
import concurrent.futures
import json
import random
import subprocess
import sys
import threading
import time

import requests

import llm_figures
import log_figures
import stack_probe
from log_figures import LogOffsets, percentile

# The caller's lines: the support agent's three fields, then questions the rule
# engine answers without ending the call; the last turn says goodbye.
DATA_LINES = ["My name is Alex Turner", "alex at example dot com", "My router keeps restarting every night"]
FILLER_LINES = ["Can you help me?", "What time is it?", "What is the date today?",
                "I also have a question about billing", "Can you repeat that?"]
GOODBYE = "Okay, that's all. Goodbye"
PAUSE_JITTER = 0.2  # open load: each pause is the turn interval +-20 %, so calls do not march in step
NGINX_FLUSH = 1.2  # nginx writes its access log buffer every second
REPORT_GRACE = 120  # seconds a call may run past its expected length before it counts as unfinished


def caller_lines(turns):
    lines = DATA_LINES[:turns - 1]
    while len(lines) < turns - 1:
        lines.append(FILLER_LINES[(len(lines) - len(DATA_LINES)) % len(FILLER_LINES)])
    return lines + [GOODBYE]


def number(index):
    return f"+1555031{index:04d}"


WARM_UP_NUMBER = "+15550320000"


def scenario(index, turns, interval, jitter):
    """The simulator's scenario for the call to number(index): each line after a pause."""
    rng = random.Random(index)
    return {"to": number(index), "lines": [
        {"say": line, "pause": round(interval * rng.uniform(1 - jitter, 1 + jitter), 3)}
        for line in caller_lines(turns)]}


class Stack:
    """The stack's operator API and the simulator's control API, one keep-alive
    connection per thread."""

    def __init__(self, args):
        self.args = args
        self.auth = {"Authorization": f"Bearer {args.api_key}"}
        self.local = threading.local()

    def http(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def register_scenarios(self, count, turns, interval, jitter):
        # The simulator's HTTP server has a short listen backlog: one by one, beforehand.
        for index in range(count):
            self.http().post(self.args.sim + "/sim/scenarios", json=scenario(index, turns, interval, jitter),
                             timeout=10).raise_for_status()

    def make_call(self, to):
        """Returns the call SID; raises with the answer when the stack refused."""
        response = self.http().post(self.args.api + "/make-call", json={
            "agent_id": self.args.agent, "to_number": to}, headers=self.auth, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code} {response.text[:200]}")
        return response.json()["call_sid"]

    def report(self, sid, deadline):
        """The simulator's record of one call, once it ended or at the deadline."""
        wait = max(1.0, deadline - time.time())
        try:
            return self.http().get(f"{self.args.sim}/sim/calls/{sid}", params={"wait": "1", "timeout": str(wait)},
                                   timeout=wait + 60).json()
        except requests.RequestException as error:
            return {"sid": sid, "done": False, "errors": [], "events": [], "unreported": str(error)}

    def live_sessions(self):
        """Calls GET /sessions lists; -1 when it does not answer."""
        try:
            return self.http().get(self.args.api + "/sessions", headers=self.auth, timeout=10).json().get("count", -1)
        except (requests.RequestException, ValueError):
            return -1


def warm_up(stack, voicectl, timeout=60):
    """One call before the run, not counted, and its outbox work done: the agent
    cache holds the agent, as it does on a stack that has been taking calls."""
    stack.http().post(stack.args.sim + "/sim/scenarios", json={"to": WARM_UP_NUMBER, "lines": [GOODBYE]},
                      timeout=10).raise_for_status()
    deadline = time.time() + timeout
    try:
        stack.report(stack.make_call(WARM_UP_NUMBER), deadline)
    except RuntimeError as error:
        print(f"(the warm-up call was refused: {error}; going on)")
    while time.time() < deadline:
        if stack_probe.take_sample(voicectl, detailed=False).jobs == 0 and stack.live_sessions() == 0:
            break
        time.sleep(0.5)
    else:
        print(f"(the warm-up call's outbox work was not done after {timeout} s; going on)")
    time.sleep(NGINX_FLUSH)  # so its lines are in nginx's access log before the run's start offset


class Placed:
    """What placing the calls gave: SIDs, refusals, and how late each /make-call
    was sent compared to its schedule (open load)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sids, self.failures, self.lateness = [], [], []

    def place(self, stack, index, scheduled=None):
        sent = time.time()
        try:
            sid = stack.make_call(number(index))
        except Exception as error:  # a refused call is a figure, not the end of the run
            with self.lock:
                self.failures.append(f"make-call {number(index)}: {error}")
            return
        with self.lock:
            self.sids.append(sid)
            if scheduled is not None:
                self.lateness.append(max(0.0, sent - scheduled) * 1000)


def closed_loop(stack, count):
    """Every call placed at once, each /make-call from its own thread."""
    placed = Placed()
    gate = threading.Barrier(count + 1)

    def caller(index):
        gate.wait()
        placed.place(stack, index)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    gate.wait()
    for thread in threads:
        thread.join()
    return placed


def open_loop(stack, count, ramp, started):
    """Calls started at a steady rate: call i at started + i * ramp / count."""
    placed = Placed()
    # Enough threads that a slow /make-call does not hold back the schedule.
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(count, 256)) as pool:
        for index in range(count):
            scheduled = started + index * ramp / count
            time.sleep(max(0.0, scheduled - time.time()))
            pool.submit(placed.place, stack, index, scheduled)
    return placed


# -- figures of the calls ----------------------------------------------------------


def turn_times(reports):
    return sorted(e["at"] for r in reports for e in r["events"]
                  if e["type"] == "webhook" and "/voice/process-speech" in e.get("url", ""))


def peak_live(reports):
    """(most calls live at once, when): a call is live from its answer webhook to its last event."""
    changes = []
    for report in reports:
        answered = [e["at"] for e in report["events"] if e["type"] == "webhook" and e.get("kind") == "voice"]
        if answered:
            changes += [(answered[0], 1), (report["events"][-1]["at"], -1)]
    live, best, best_at = 0, 0, None
    for at, change in sorted(changes):
        live += change
        if live > best:
            best, best_at = live, at
    return best, best_at


def busiest_rate(times, window=5.0):
    """Most events in any `window` seconds, per second."""
    best, first = 0, 0
    for last in range(len(times)):
        while times[last] - times[first] > window:
            first += 1
        best = max(best, last - first + 1)
    return best / window


def complete_calls(args, reports):
    return sum(1 for r in reports if r["done"] and not r["errors"]
               and sum(e["type"] == "caller" for e in r["events"]) == args.turns)


def print_calls(args, placed, reports, started, ended):
    complete = complete_calls(args, reports)
    with_errors = sum(1 for r in reports if r["errors"])
    unreported = [f"simulator gave no report of {r['sid']}: {r['unreported']}" for r in reports if "unreported" in r]
    unfinished = sum(1 for r in reports if not r["done"]) - len(unreported)
    count = len(placed.sids) + len(placed.failures)
    print(f"calls: {count} placed, {complete} complete, {count - complete} failed "
          f"(make-call refused {len(placed.failures)}, webhook errors in {with_errors}, unfinished {unfinished}, "
          f"not reported by the simulator in time {len(unreported)})")
    errors = placed.failures + [error for r in reports for error in r["errors"]] + unreported
    for error in errors[:3]:
        print(f"  error: {error}")
    if len(errors) > 3:
        print(f"  ... {len(errors) - 3} more errors")
    turns = turn_times(reports)
    wall = max(ended - started, 1e-6)
    live, live_at = peak_live(reports)
    print(f"wall {wall:.2f} s from the first /make-call to the end of the last call; "
          f"{len(turns)} turns = {len(turns) / wall:.1f} turns/s; peak live calls {live}"
          + (f" at t={live_at - started:.1f} s" if live_at else ""))
    if args.open:
        window = min(5.0, wall)
        print(f"busiest {window:.1f} s: {busiest_rate(turns, window):.1f} turns/s "
              f"(offered with every call live: {args.open / args.turn_interval:.1f})")
    if placed.lateness:
        print(f"make-call sent after its schedule: p50 {percentile(placed.lateness, .5):.0f} ms   "
              f"p99 {percentile(placed.lateness, .99):.0f} ms   max {max(placed.lateness):.0f} ms")


def print_drain(drained_at, ended, timeout, left):
    if drained_at is None:
        print(f"drain: NOT drained {timeout:.0f} s after the last call ended: {left}")
    else:
        print(f"drain: {max(0.0, drained_at - ended):.1f} s from the end of the last call until the outbox was "
              "empty and GET /sessions listed no call (sampled every second)")


def read_proxy_stats(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError, TypeError):
        return None


def print_proxy(before, after, delay_ms):
    """The proxy's counters over the run (it rewrites them five times a second)."""
    if not before or not after:
        print(f"\nAWS latency proxy: +{delay_ms:g} ms per request (no counters)")
        return
    counts = {key: after[key] - before[key] for key in ("requests", "connections", "upstream_failures")}
    print(f"\nAWS latency proxy: +{delay_ms:g} ms per request; during the run {counts['requests']} requests "
          f"delayed over {counts['connections']} connections, {counts['upstream_failures']} could not reach "
          f"the emulator; at most {after['peak_active']} connections open at once (since the proxy started)")


# -- the run ---------------------------------------------------------------------------


def wait_for_drain(stack, sampler, ended, timeout):
    """(the time of the first sample after the last call ended with an empty outbox,
    GET /sessions listing no call right after it, or None `timeout` s after the
    end; what was left then)."""
    sessions = None
    while time.time() < ended + timeout:
        sample = sampler.samples[-1] if sampler.samples else None
        if sample and sample.at >= ended and sample.jobs == 0:
            sessions = stack.live_sessions()
            if sessions == 0:
                return sample.at, ""
        sampler.next_sample(timeout=5)
    jobs = sampler.samples[-1].jobs if sampler.samples else -1
    listed = "not asked (jobs left)" if sessions is None else sessions
    return None, f"{jobs} outbox jobs, GET /sessions lists {listed} calls"


def wait_until_quiet(path, quiet=1.0, timeout=15):
    """Until the emulator's request log stops growing, so the counts are whole."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        size = log_figures.file_size(path)
        if size != last:
            last, since = size, time.monotonic()
        elif time.monotonic() - since > quiet:
            return
        time.sleep(0.2)


def describe_load(args):
    if args.open:
        ramp = args.turns * args.turn_interval
        return (f"open load: {args.open} calls started at {args.open / ramp:.1f}/s over {ramp:.0f} s, "
                f"{args.turns} turns each, one every ~{args.turn_interval:g} s (+-{PAUSE_JITTER:.0%})")
    pace = f", one every {args.turn_interval:g} s" if args.turn_interval else ""
    return f"closed loop: {args.calls} calls at once, {args.turns} turns each{pace}"


class Outcome:
    """What one run measured, for the report."""


def measure(args, stack, offsets):
    count = args.open or args.calls
    interval = args.turn_interval
    stack.register_scenarios(count, args.turns, interval, PAUSE_JITTER if args.open else 0.0)
    extra = {"aws-proxy": args.aws_proxy_pid} if args.aws_proxy_pid else {}
    if args.llm_pid:
        extra["llm-standin"] = args.llm_pid
    out = Outcome()
    if args.llm_url:
        llm_figures.clear_standin(args.llm_url)  # the warm-up call's requests are not the run's
    out.speech_pids = stack_probe.supervised_pids(args.var_dir).get("process-speech", [])
    out.memory_before = {pid: llm_figures.proc_status(pid) for pid in out.speech_pids}
    out.before = stack_probe.Snapshot(args.var_dir, extra)
    out.proxy_before = read_proxy_stats(args.aws_proxy_stats)
    out.sampler = stack_probe.OutboxSampler(args.voicectl)
    out.pause = stack_probe.EmulatorPause(args.aws_port, args.pause_aws_after, args.pause_aws) \
        if args.pause_aws else None
    out.started = time.time()  # the simulator stamps events with time.time() on this machine
    out.sampler.start()
    try:
        if out.pause:
            out.pause.start()
        out.placed = open_loop(stack, count, args.turns * interval, out.started) if args.open \
            else closed_loop(stack, count)
        deadline = time.time() + args.turns * interval * (1 + PAUSE_JITTER) + REPORT_GRACE
        out.reports = [stack.report(sid, deadline) for sid in out.placed.sids]
        out.ended = max((e["at"] for r in out.reports for e in r["events"]), default=time.time())
        # The end offset leaves out the GET /sessions polling below, not part of the calls.
        time.sleep(NGINX_FLUSH)
        out.nginx_end = log_figures.file_size(offsets.path("nginx-access.log"))
        out.drained_at, out.left = wait_for_drain(stack, out.sampler, out.ended, args.drain_timeout)
        out.after = stack_probe.Snapshot(args.var_dir, extra)
    finally:
        if out.pause:
            out.pause.resume()
        out.sampler.stop()
    wait_until_quiet(offsets.path("local-aws-requests.jsonl"))
    out.proxy_after = read_proxy_stats(args.aws_proxy_stats)
    out.standin = llm_figures.standin_requests(args.llm_url) if args.llm_url else None
    return out


def report(args, out, offsets):
    print(f"== call storm, {describe_load(args)}, agent {args.agent}"
          + (", cold (no warm-up call)" if args.cold else ", after one warm-up call (not counted)"))
    if args.llm_latency_ms is not None:
        print(f"LLM: the stand-in (tools/llmsim) answers every chat request after {args.llm_latency_ms:g} ms")
    if args.aws_latency_ms:
        print(f"AWS: every request to the emulator delayed {args.aws_latency_ms:g} ms by a proxy")
    if out.pause:
        print(out.pause.describe(out.started) + f"; the last call ended at t={out.ended - out.started:.1f} s")
    print_calls(args, out.placed, out.reports, out.started, out.ended)
    print_drain(out.drained_at, out.ended, args.drain_timeout, out.left)
    nginx_entries = offsets.entries("nginx-access.log", out.nginx_end)
    log_figures.print_latency_table(nginx_entries, out.reports)
    speech = offsets.entries("process-speech.log")
    turns = llm_figures.turns_of(nginx_entries, speech)
    programs = stack_probe.cpu_by_program(out.before, out.after)
    if args.llm_latency_ms is not None:
        report_llm(args, out, offsets, turns, speech)
        if args.summary:
            write_summary(args, out, offsets, turns, programs)
    stack_probe.print_outbox_series(out.sampler.samples, out.started, out.ended)
    if args.aws_proxy_stats:
        print_proxy(out.proxy_before, out.proxy_after, args.aws_latency_ms)
    if out.drained_at is None:
        print("\n(the outbox did not drain: the AWS counts below are partial)")
    log_figures.print_aws_requests(offsets.entries("local-aws-requests.jsonl"), args.open or args.calls)
    log_figures.print_worker_lag(offsets.entries("worker.log"), out.reports)
    stack_probe.print_cpu_table(programs, args.open or args.calls, len(turns))
    log_figures.print_log_problems(offsets)


def report_llm(args, out, offsets, turns, speech):
    print(f"\n-- LLM: {describe_llm(args)}")
    llm_figures.print_turn_latency(turns, args.llm_latency_ms)
    matched = {t.request_id for t in turns}
    stray = sum(1 for line in speech if line.get("message") in (llm_figures.LLM_TURN, llm_figures.FALLBACK)
                and line.get("request_id") not in matched)
    llm_figures.print_engines(turns, stray)
    late = sum(1 for line in speech if line.get("message") == llm_figures.TAKEN_LATE)
    llm_figures.print_threads(turns, offsets.path("process-speech.log"), out.speech_pids, out.started,
                              max(out.ended - out.started, 1e-6), late)
    llm_figures.print_memory(out.memory_before, out.speech_pids)
    if args.llm_url:
        llm_figures.print_standin(out.standin, args.llm_latency_ms)


def write_summary(args, out, offsets, turns, programs):
    """Appends the run's key figures to --summary as one JSON line."""
    wall = max(out.ended - out.started, 1e-6)
    load = (f"open {args.open}, ~{args.turn_interval:g} s" if args.open else f"closed {args.calls}") \
        + f" x {args.turns}"
    row = llm_figures.summary_row(load, args.llm_latency_ms, len(out.placed.sids) + len(out.placed.failures),
                                  complete_calls(args, out.reports), len(turn_times(out.reports)) / wall, turns,
                                  offsets.path("process-speech.log"), out.speech_pids, wall, programs)
    with open(args.summary, "a") as handle:
        handle.write(json.dumps(row) + "\n")


def describe_llm(args):
    """The stack's LLM settings as `voicectl config check` shows them (same environment)."""
    try:
        result = subprocess.run([args.voicectl, "config", "check"], capture_output=True, text=True, timeout=30)
        rows = dict(line.strip().split(None, 1) for line in result.stdout.splitlines()[1:] if line.strip())
    except (OSError, ValueError, subprocess.TimeoutExpired):
        rows = {}
    settings = [f"{name} {rows[name]}" for name in ("LLM", "LLM_TURN_DEADLINE_MS", "WEBHOOK_DEADLINE_MS",
                                                    "HANDLER_PROCESSES", "HANDLER_THREADS_WAITING") if name in rows]
    return f"the stand-in answers after {args.llm_latency_ms:g} ms; " + ("; ".join(settings) or "settings unknown")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", required=True, help="the stack's URL (nginx)")
    parser.add_argument("--sim", required=True, help="the Twilio simulator's URL")
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--var-dir", required=True, help="the stack's VAR_DIR (logs, pid files, supervisord)")
    parser.add_argument("--voicectl", required=True, help="voicectl of the stack (same environment): the outbox")
    parser.add_argument("--calls", type=int, default=20, help="closed loop: calls placed at once (20)")
    parser.add_argument("--open", type=int, metavar="N", help="open load: N calls started at a steady rate")
    parser.add_argument("--turns", type=int, default=10, help="caller turns per call, the last says goodbye (10)")
    parser.add_argument("--turn-interval", type=float, metavar="S",
                        help="seconds the caller waits before each turn (open load: 3, +-20 %%; closed loop: 0)")
    parser.add_argument("--agent", default="customer-support-001")
    parser.add_argument("--cold", action="store_true",
                        help="no warm-up call before the run: the agent cache starts empty")
    parser.add_argument("--drain-timeout", type=float, default=180,
                        help="seconds to wait, after the last call, for the outbox to drain (180)")
    parser.add_argument("--aws-port", type=int, help="the emulator's port (LOCAL_AWS_PORT), for --pause-aws")
    parser.add_argument("--pause-aws", type=float, metavar="SECONDS", default=0,
                        help="SIGSTOP the emulator for SECONDS during the run, then SIGCONT")
    parser.add_argument("--pause-aws-after", type=float, metavar="SECONDS", default=0,
                        help="when the pause starts, in seconds after the first /make-call (0)")
    parser.add_argument("--aws-latency-ms", type=float, default=0, help="(for the header) the proxy's delay")
    parser.add_argument("--aws-proxy-pid", type=int, help="the latency proxy's pid, for its CPU")
    parser.add_argument("--aws-proxy-stats", help="the latency proxy's counters file")
    parser.add_argument("--llm-latency-ms", type=float,
                        help="the stack is led by the stand-in LLM answering after this many ms: LLM figures")
    parser.add_argument("--llm-url", help="the stand-in LLM's URL (its /_sim/ control API), for what it received")
    parser.add_argument("--llm-pid", type=int, help="the stand-in LLM's pid, for its CPU (listed apart)")
    parser.add_argument("--summary", metavar="FILE",
                        help="with --llm-latency-ms: append the run's key figures to FILE as a JSON line "
                             "(llm_figures.py --summary FILE prints the runs as a table)")
    args = parser.parse_args()
    count = args.open or args.calls
    if not 1 <= count <= 9999 or args.turns < 1:
        parser.error("--calls or --open must be 1 to 9999, --turns at least 1")
    if args.pause_aws and not args.aws_port:
        parser.error("--pause-aws needs --aws-port")
    if args.turn_interval is None:
        args.turn_interval = 3.0 if args.open else 0.0
    if args.open and args.turn_interval <= 0:
        parser.error("--open needs a --turn-interval above 0")
    return args


def main():
    args = parse_args()
    stack = Stack(args)
    if args.llm_url:
        llm_figures.script_standin(args.llm_url)
    if not args.cold:
        warm_up(stack, args.voicectl)
    offsets = LogOffsets(args.var_dir)
    report(args, measure(args, stack, offsets), offsets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
