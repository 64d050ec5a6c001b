"""Figures from the logs a run leaves: nginx's access log (latency and status
per endpoint), the emulator's request log (AWS requests per call), the worker's
log (finalization lag) and every program's log (errors and warnings)."""
import collections
import glob
import json
import os
import re
import urllib.parse
from datetime import datetime, timezone

# The endpoints a call goes through, in the order the tables show them first.
CALL_ENDPOINTS = ["/voice/outbound", "/voice/process-speech", "/make-call", "/call-status"]


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
    if not os.path.exists(path):
        return []
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read() if end is None else handle.read(max(0, end - offset))
    text = data.decode("utf-8", errors="replace")
    # moto's recorder writes from several threads, and under load two objects can
    # land on one line before their newlines: decode object after object instead
    # of line by line.
    entries, decoder, position = [], json.JSONDecoder(), 0
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


class LogOffsets:
    """Where every log of a stack ended when the run started."""

    def __init__(self, var_dir):
        self.log_dir = os.path.join(var_dir, "log")
        self.offsets = {path: file_size(path) for path in glob.glob(os.path.join(self.log_dir, "*"))}

    def path(self, name):
        return os.path.join(self.log_dir, name)

    def start(self, name):
        return self.offsets.get(self.path(name), 0)

    def entries(self, name, end=None):
        return read_json_lines(self.path(name), self.start(name), end)


# -- nginx -------------------------------------------------------------------


def milliseconds(value):
    """nginx's "0.012" (or "0.001, 0.012" when it tried several upstreams: the
    last one served) in ms; None for "-" or empty."""
    try:
        return float(str(value).split(",")[-1].strip()) * 1000
    except ValueError:
        return None


class EndpointFigures:
    def __init__(self):
        self.upstream, self.request, self.simulated = [], [], []
        self.statuses = collections.Counter()


def endpoint_figures(nginx_entries, reports):
    figures = collections.defaultdict(EndpointFigures)
    for entry in nginx_entries:
        path = endpoint_of(entry.get("uri", ""))
        if path in ("/health", "/ping"):  # scripts/start's readiness probes, not calls
            continue
        row = figures[(entry.get("method", ""), path)]
        row.statuses[int(entry.get("status", 0))] += 1
        for values, field in ((row.upstream, "upstream_response_time"), (row.request, "request_time")):
            value = milliseconds(entry.get(field, ""))
            if value is not None:
                values.append(value)
    for report in reports:
        for event in report["events"]:
            if event["type"] == "webhook" and event.get("seconds") is not None:
                figures[("POST", endpoint_of(event["url"]))].simulated.append(event["seconds"] * 1000)
    return figures


def spread(values, digits):
    if not values:
        return f"{'-':>6} {'-':>6} {'-':>6}"
    return " ".join(f"{v:6.{digits}f}" for v in (percentile(values, .5), percentile(values, .99), max(values)))


def order(key):
    method, path = key
    return (CALL_ENDPOINTS.index(path) if path in CALL_ENDPOINTS else len(CALL_ENDPOINTS), path, method)


def print_latency_table(nginx_entries, reports):
    """Per endpoint: nginx's upstream time (the endpoint's own), nginx's request
    time (as the client saw nginx), the simulator's round trip (adds its Python
    client), and the answers other than 200."""
    figures = endpoint_figures(nginx_entries, reports)
    print(f"\n{'endpoint':27} {'requests':>8}  {'upstream ms (nginx)':^20}  {'request ms (nginx)':^20}"
          f"  {'simulator round trip':^20}  {'non-200':>7} {'504':>4}")
    print(f"{'':27} {'':>8}  " + "  ".join([f"{'p50':>6} {'p99':>6} {'max':>6}"] * 3))
    for key in sorted(figures, key=order):
        row = figures[key]
        count = max(sum(row.statuses.values()), len(row.simulated))
        not_ok = sum(n for status, n in row.statuses.items() if status != 200)
        print(f"{key[0] + ' ' + key[1]:27} {count:>8}  {spread(row.upstream, 0)}  {spread(row.request, 0)}"
              f"  {spread(row.simulated, 1)}  {not_ok:>7} {row.statuses.get(504, 0):>4}")
    statuses = collections.Counter()
    for row in figures.values():
        statuses.update(row.statuses)
    print("nginx statuses: " + (", ".join(f"{s} x{n}" for s, n in sorted(statuses.items())) or "none")
          + "   (nginx logs whole milliseconds)")


# -- the emulator --------------------------------------------------------------


def print_aws_requests(entries, calls):
    dynamodb, s3 = collections.Counter(), collections.Counter()
    for entry in entries:
        target = entry.get("headers", {}).get("X-Amz-Target", "")
        if target.startswith("DynamoDB_20120810."):
            dynamodb[target.split(".", 1)[1]] += 1
        elif not urllib.parse.urlsplit(entry.get("url", "")).path.startswith("/moto-api"):
            s3[entry.get("method", "?")] += 1
    print(f"\nAWS requests per call ({calls} calls placed, from the emulator's request log):")
    for name, counter in (("DynamoDB", dynamodb), ("S3", s3)):
        if not counter:
            print(f"  {name}: none")
            continue
        parts = ", ".join(f"{op} {count / calls:.2f}" for op, count in counter.most_common())
        print(f"  {name}: {sum(counter.values()) / calls:.2f} ({parts})")


# -- the worker ----------------------------------------------------------------


def log_time(stamp):
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


def print_worker_lag(worker_entries, reports):
    """Final status to complete record: from the simulator's completed status
    callback to the worker's "call finalized" line for the same call."""
    finalized = {}
    for entry in worker_entries:
        if entry.get("message") == "call finalized" and entry.get("call_sid") not in finalized:
            finalized[entry["call_sid"]] = log_time(entry["time"])
    lags = []
    for report in reports:
        sent = [e["at"] for e in report["events"] if e["type"] == "webhook" and e.get("kind") == "status:completed"]
        if sent and report["sid"] in finalized:
            lags.append(max(0.0, finalized[report["sid"]] - sent[0]) * 1000)
    if lags:
        print(f"\nworker lag, final status -> record complete ({len(lags)} of {len(reports)} calls): "
              f"p50 {percentile(lags, 0.5):.0f} ms   p99 {percentile(lags, 0.99):.0f} ms   max {max(lags):.0f} ms")


# -- problems in any log -----------------------------------------------------------


def json_log_problems(entries):
    """(level, message) of error and warning lines of a JSON-lines program log."""
    return [(e.get("level", ""), e.get("message", "")) for e in entries
            if isinstance(e, dict) and e.get("level") in ("error", "warning", "critical")]


def nginx_error_problems(offsets):
    path = offsets.path("nginx-error.log")
    if not os.path.exists(path):
        return []
    with open(path, "rb") as handle:
        handle.seek(offsets.start("nginx-error.log"))
        lines = handle.read().decode("utf-8", errors="replace").splitlines()
    problems = []
    for line in lines:
        match = re.search(r"\[(error|warn|crit|alert|emerg)\] [\d#]+: (?:\*\d+ )?(.*?)(?:, client:|$)", line)
        if match:
            problems.append((match.group(1), match.group(2)))
    return problems


def print_log_problems(offsets):
    """Error and warning lines the run added to the stack's logs: a count per log
    and its most frequent messages, so a misbehaving program is named."""
    found = {}
    for path in sorted(glob.glob(os.path.join(offsets.log_dir, "*.log"))):
        name = os.path.basename(path)
        if name in ("nginx-access.log", "local-aws.log", "twilio-sim.log", "supervisord.log"):
            continue
        problems = nginx_error_problems(offsets) if name == "nginx-error.log" else \
            json_log_problems(offsets.entries(name))
        if problems:
            found[name] = collections.Counter(problems)
    if not found:
        print("\nlogs: no error or warning line during the run")
        return
    print("\nlogs: error and warning lines during the run (most frequent messages)")
    for name, counter in found.items():
        print(f"  {name}: {sum(counter.values())}")
        for (level, message), count in counter.most_common(3):
            print(f"    {count:>6} x {level}: {message[:150]}")
