"""Figures of LLM-led turns (call_storm.py --llm-latency-ms): which engine
answered each turn, the turn's time less the LLM's, how many turns were in
flight at once against the threads there are, the endpoint's memory, and what
the stand-in LLM received.

Sources: nginx's access log (`request_id`, `upstream_response_time`,
`request_time`: whole milliseconds, the line's time to the second only), the
process-speech log (`llm turn` with `llm_ms`, our client's wait for the LLM;
`the rule engine answered the turn instead of the LLM` with a `reason`; the
`started` line of each process with its `threads`; the same `request_id`),
/proc/<pid>/status, and the stand-in's /_sim/requests.
"""
import argparse
import collections
import json
import urllib.request

from log_figures import endpoint_of, log_time, milliseconds, percentile

TURN_PATH = "/voice/process-speech"
LLM_TURN = "llm turn"
FALLBACK = "the rule engine answered the turn instead of the LLM"
TAKEN_LATE = "request taken after its deadline"
ANALYSIS_MARK = "You review a finished phone call"  # the worker's post-call analysis prompt


class Turn:
    """One POST /voice/process-speech as nginx logged it, with what the endpoint logged for it."""

    def __init__(self, entry):
        self.request_id = entry.get("request_id", "")
        self.status = int(entry.get("status", 0))
        self.upstream = milliseconds(entry.get("upstream_response_time", ""))
        self.request = milliseconds(entry.get("request_time", ""))
        self.nginx_time = entry.get("time", "")
        self.engine = None  # "llm", "rules-fallback", or None: the rules owned the turn (no LLM asked)
        self.llm_ms = None
        self.reason = None
        self.logged_at = None  # the time of the endpoint's last line for this request (ms resolution)


def turns_of(nginx_entries, speech_entries):
    """The run's turns, each joined by request_id with the endpoint's lines."""
    turns = [Turn(e) for e in nginx_entries if endpoint_of(e.get("uri", "")) == TURN_PATH]
    by_id = {t.request_id: t for t in turns if t.request_id}
    for line in speech_entries:
        turn = by_id.get(line.get("request_id"))
        if turn is None:
            continue
        try:
            turn.logged_at = max(turn.logged_at or 0.0, log_time(line["time"]))
        except (KeyError, ValueError):
            pass
        if line.get("message") == LLM_TURN:
            turn.engine = "llm"
            try:
                turn.llm_ms = float(line.get("llm_ms", -1))
            except ValueError:
                turn.llm_ms = -1
            if turn.llm_ms < 0:
                turn.llm_ms = None
        elif line.get("message") == FALLBACK:
            turn.engine = "rules-fallback"
            turn.reason = short_reason(line.get("reason", "?"))
    return turns


def short_reason(reason):
    """The reason's kind: its text up to a colon or parenthesis, so the counts group."""
    for mark in (":", "("):
        if mark in reason:
            reason = reason.split(mark, 1)[0]
    return reason.strip()[:80] or "?"


def spread_line(label, values, unit="ms"):
    if not values:
        return f"  {label:58} {0:>6}  {'-':>6} {'-':>6} {'-':>6}"
    return (f"  {label:58} {len(values):>6}  {percentile(values, .5):>6.0f} {percentile(values, .99):>6.0f}"
            f" {max(values):>6.0f}")


def print_turn_latency(turns, latency_ms):
    """(a): nginx's upstream time of every turn and of the LLM's turns, the LLM
    time our client measured, and the difference per turn (our overhead)."""
    llm = [t for t in turns if t.engine == "llm" and t.upstream is not None and t.llm_ms is not None]
    print(f"\nturn latency, POST {TURN_PATH} (ms; the stand-in answers after {latency_ms:g} ms; nginx logs whole ms):")
    print(f"  {'':58} {'turns':>6}  {'p50':>6} {'p99':>6} {'max':>6}")
    print(spread_line("every turn: nginx upstream time", [t.upstream for t in turns if t.upstream is not None]))
    print(spread_line("LLM turns: nginx upstream time", [t.upstream for t in llm]))
    print(spread_line("LLM turns: LLM time as our client measured it (llm_ms)", [t.llm_ms for t in llm]))
    print(spread_line("LLM turns: upstream - llm_ms, per turn (our overhead)",
                      [max(0.0, t.upstream - t.llm_ms) for t in llm]))
    print(spread_line(f"LLM turns: llm_ms - {latency_ms:g} (HTTP + stand-in's own time)",
                      [t.llm_ms - latency_ms for t in llm]))
    fallback = [t.upstream for t in turns if t.engine == "rules-fallback" and t.upstream is not None]
    if fallback:
        print(spread_line("rule engine instead of the LLM: nginx upstream", fallback))
    owned = [t.upstream for t in turns if t.engine is None and t.upstream is not None]
    print(spread_line("turns the rules own (no LLM asked): nginx upstream", owned))
    own = [t.request - t.upstream for t in turns if t.request is not None and t.upstream is not None]
    print(spread_line("every turn: nginx request - upstream time", own))
    print("  (request - upstream is nginx's own part: reading the request, writing the answer. A turn waiting for")
    print("  a thread waits inside the upstream time, in the socket backlog supervisord holds, so a wait shows")
    print("  in 'upstream - llm_ms' and in the requests in flight below.)")


def print_engines(turns, unmatched_lines=0):
    """(b): which engine answered, and why the rules answered instead."""
    counts = collections.Counter(t.engine for t in turns)
    reasons = collections.Counter(t.reason for t in turns if t.engine == "rules-fallback")
    print(f"\nengines: {len(turns)} turns; the LLM answered {counts['llm']}; the rule engine instead of the LLM "
          f"{counts['rules-fallback']}; the rules own {counts[None]} (no LLM asked: silence, goodbye, yes/no, ...)")
    for reason, count in reasons.most_common(5):
        print(f"  rule engine instead: {count:>6} x {reason}")
    if unmatched_lines:
        print(f"  ({unmatched_lines} engine lines of the log matched no turn of nginx's log)")


def started_threads(log_path):
    """{pid: threads} from the `started` lines of an endpoint's log (the last per pid)."""
    threads = {}
    try:
        with open(log_path, errors="replace") as handle:
            for line in handle:
                if '"started"' not in line:
                    continue
                try:
                    entry = json.loads(line)
                    threads[int(entry["pid"])] = int(entry["threads"])
                except (ValueError, KeyError, TypeError):
                    continue
    except OSError:
        pass
    return threads


def in_flight(turns, run_wall):
    """(peak, when, precisely timed turns, mean): requests between arriving at
    the endpoint's socket and their answer. A turn's end is the time of the
    endpoint's last log line for it (ms), else nginx's line (to the second:
    +0.5 s); its start is the end less nginx's upstream time."""
    changes, precise, busy = [], 0, 0.0
    for turn in turns:
        if turn.upstream is None:
            continue
        if turn.logged_at is not None:
            end = turn.logged_at
            precise += 1
        else:
            try:
                end = nginx_time(turn.nginx_time) + 0.5
            except ValueError:
                continue
        start = end - turn.upstream / 1000
        changes += [(start, 1), (end, -1)]
        busy += turn.upstream / 1000
    live, peak, peak_at = 0, 0, None
    for at, change in sorted(changes):  # an end sorts before a start at the same instant
        live += change
        if live > peak:
            peak, peak_at = live, at
    return peak, peak_at, precise, busy / run_wall if run_wall > 0 else 0.0


def nginx_time(stamp):
    """nginx's $time_iso8601 ("2025-01-01T10:00:00+00:00") as epoch seconds."""
    from datetime import datetime
    return datetime.fromisoformat(stamp).timestamp()


def threads_available(speech_log, pids):
    """({pid: threads}, their sum) of the endpoint's running processes."""
    threads = started_threads(speech_log)
    return threads, sum(threads.get(pid, 0) for pid in pids)


def print_threads(turns, speech_log, pids, started, wall, late):
    """(c): the most turns in flight at once against the endpoint's threads."""
    threads, available = threads_available(speech_log, pids)
    peak, peak_at, precise, mean = in_flight(turns, wall)
    per = ", ".join(f"pid {pid}: {threads.get(pid, '?')}" for pid in pids)
    print(f"\nthreads: process-speech has {len(pids)} processes ({per} threads, from their 'started' lines) "
          f"= {available} threads to serve turns")
    when = f" at t={peak_at - started:.1f} s" if peak_at is not None else ""
    print(f"  turns in flight at once (arrived at the socket, not yet answered): peak {peak}{when}, "
          f"mean {mean:.1f} over the run (sum of upstream times / wall); {precise} of {len(turns)} turns timed to "
          f"the ms by the endpoint's log line, the rest to nginx's second")
    if available:
        verdict = "no turn can have waited for a thread" if peak < available else \
            "every thread may have been busy: turns may have waited in the socket backlog"
        print(f"  peak / threads = {peak}/{available} = {peak / available:.0%}: {verdict}")
    print(f"  turns taken by a thread after their webhook deadline ('{TAKEN_LATE}'): {late}")


def proc_status(pid):
    """{field: value} of /proc/<pid>/status for the memory and thread lines."""
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM", "Threads"):
                    fields[name] = value.strip()
    except OSError:
        pass
    return fields


def kib(value):
    try:
        return int(value.split()[0])
    except (AttributeError, ValueError, IndexError):
        return None


def print_memory(before, pids):
    """(d): each process-speech process's resident memory at the start of the run and at its end."""
    print("\nmemory of the process-speech processes (/proc/<pid>/status):")
    print(f"  {'pid':>8} {'threads':>8} {'VmRSS start':>12} {'VmRSS end':>10} {'VmHWM end':>10}")
    for pid in pids:
        now = proc_status(pid)
        start = kib(before.get(pid, {}).get("VmRSS"))
        rss, hwm = kib(now.get("VmRSS")), kib(now.get("VmHWM"))

        def mib(value):
            return f"{value / 1024:.1f} MiB" if value is not None else "-"

        print(f"  {pid:>8} {now.get('Threads', '-'):>8} {mib(start):>12} {mib(rss):>10} {mib(hwm):>10}")
    print("  (VmHWM: the most resident memory the process ever had, since its start)")


def standin_requests(url):
    """The stand-in's recorded chat requests (None when it does not answer)."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/_sim/requests", timeout=60) as response:
            entries = json.load(response)
    except (OSError, ValueError):
        return None
    return [e for e in entries if e.get("path", "").split("?")[0] in ("/v1/chat/completions", "/api/chat")]


# The answer to the worker's post-call analysis (its last user message starts with
# "Transcript:", which no caller turn's does): without it the stand-in's default
# voice reply is no analysis, and the worker asks again and gives up, which is
# not the load of a working LLM.
ANALYSIS_RULE = {"match": "Transcript:", "json": {
    "summary": "The caller asked for help with a router that restarts every night and gave their name and email.",
    "data": {}, "success": True, "success_reason": "The caller's request was taken care of."}}


def script_standin(url):
    """The stand-in's rules for a run: analyses answered; every turn gets the default reply."""
    request = urllib.request.Request(url.rstrip("/") + "/_sim/script", data=json.dumps([ANALYSIS_RULE]).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request, timeout=30).close()


def clear_standin(url):
    request = urllib.request.Request(url.rstrip("/") + "/_sim/requests", method="DELETE")
    try:
        urllib.request.urlopen(request, timeout=30).close()
    except OSError:
        pass


def print_standin(entries, latency_ms):
    if entries is None:
        print("\nLLM stand-in: its request log did not answer")
        return
    analyses = sum(1 for e in entries if ANALYSIS_MARK in json.dumps((e.get("body") or {}).get("messages", [])[:1]))
    statuses = collections.Counter(e.get("status") for e in entries)
    print(f"\nLLM stand-in (+{latency_ms:g} ms per answer): {len(entries)} chat requests during the run: "
          f"{len(entries) - analyses} turns, {analyses} post-call analyses (the worker's); statuses "
          + ", ".join(f"{s} x{n}" for s, n in sorted(statuses.items(), key=lambda i: str(i[0]))))


# -- one line per run, and the table of a series of runs (scripts/bench llm) ------


def summary_row(load, latency_ms, placed, complete, turns_per_s, turns, speech_log, pids, wall, programs):
    """The run's key figures as one JSON-able dict."""
    llm = [t for t in turns if t.engine == "llm" and t.upstream is not None and t.llm_ms is not None]
    overhead = [max(0.0, t.upstream - t.llm_ms) for t in llm]
    every = [t.upstream for t in turns if t.upstream is not None]
    _, available = threads_available(speech_log, pids)
    memory = [proc_status(pid) for pid in pids]
    speech_ms = programs["process-speech"].ms if "process-speech" in programs else 0.0

    def p(values, fraction):
        return round(percentile(values, fraction)) if values else None

    return {"load": load, "latency_ms": latency_ms, "placed": placed, "complete": complete,
            "turns": len(turns), "turns_per_s": round(turns_per_s, 1),
            "upstream_p50": p(every, .5), "upstream_p99": p(every, .99),
            "overhead_p50": p(overhead, .5), "overhead_p99": p(overhead, .99),
            "llm_turns": sum(t.engine == "llm" for t in turns),
            "fallback_turns": sum(t.engine == "rules-fallback" for t in turns),
            "peak_in_flight": in_flight(turns, wall)[0], "threads": available,
            "rss_mib": round(max((kib(m.get("VmRSS")) or 0 for m in memory), default=0) / 1024, 1),
            "hwm_mib": round(max((kib(m.get("VmHWM")) or 0 for m in memory), default=0) / 1024, 1),
            "speech_cpu_ms_per_turn": round(speech_ms / len(turns), 2) if turns else None}


def print_summary(path):
    """The runs' lines of `path` as one table."""
    with open(path) as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if not rows:
        return
    print("== llm: the runs side by side (turn ms: nginx's upstream time of every turn; overhead: upstream - llm_ms"
          " of the LLM's turns;\n   in flight: the most turns at once / process-speech's threads; memory: the"
          " largest process-speech process at the end)")
    header = (f"  {'LLM ms':>6}  {'load':18} {'complete':>9} {'turns':>6} {'turns/s':>7}  {'turn p50/p99':>12}"
              f"  {'overhead':>9}  {'LLM/rules':>10}  {'in flight':>9}  {'RSS/HWM MiB':>11}  {'CPU ms/turn':>11}")
    print(header)

    def pair(a, b):
        return f"{'-' if a is None else a}/{'-' if b is None else b}"

    for r in rows:
        print(f"  {r['latency_ms']:>6g}  {r['load']:18} {pair(r['complete'], r['placed']):>9} {r['turns']:>6}"
              f" {r['turns_per_s']:>7}  {pair(r['upstream_p50'], r['upstream_p99']):>12}"
              f"  {pair(r['overhead_p50'], r['overhead_p99']):>9}  {pair(r['llm_turns'], r['fallback_turns']):>10}"
              f"  {pair(r['peak_in_flight'], r['threads']):>9}  {pair(r['rss_mib'], r['hwm_mib']):>11}"
              f"  {r['speech_cpu_ms_per_turn'] if r['speech_cpu_ms_per_turn'] is not None else '-':>11}")
    print("  (LLM/rules: turns the LLM answered / the rule engine answered instead; CPU: process-speech's alone)")


def main():
    parser = argparse.ArgumentParser(description="Prints the table of the runs call_storm.py --summary wrote.")
    parser.add_argument("--summary", required=True)
    print_summary(parser.parse_args().summary)


if __name__ == "__main__":
    main()
