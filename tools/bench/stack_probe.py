"""What a stack's processes do during a benchmark run: CPU time by program (from
/proc), the outbox's depth over time (from voicectl), and a pause of the AWS
emulator (SIGSTOP/SIGCONT)."""
import collections
import json
import os
import re
import signal
import subprocess
import threading
import time

CLOCK_TICK = os.sysconf("SC_CLK_TCK")

# Programs that are ours; anything else supervisord runs (the emulator, the
# simulator) is shown apart.
NOT_OURS = {"local-aws": "AWS emulator (moto)", "twilio-sim": "Twilio simulator",
            "aws-proxy": "AWS latency proxy", "llm-standin": "LLM stand-in (tools/llmsim)",
            "supervisord": "supervisord (process manager)",
            "load-generator": "load generator (+ voicectl it ran)"}
LABELS = {"sessions": "sessions (the bench's GET /sessions)"}
CALL_PROGRAMS = ["nginx", "make-call", "voice-outbound", "process-speech", "call-status", "recording-status",
                 "worker"]


# -- /proc ---------------------------------------------------------------------


class Usage(collections.namedtuple("Usage", "cpu system children start ppid")):
    """A process's own CPU ticks (utime+stime) and those in the kernel (stime),
    the ticks of the children it has reaped (cutime+cstime), its start time in
    ticks after boot and its parent."""


def usage(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            text = handle.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # the command name may hold spaces
    return Usage(cpu=int(fields[11]) + int(fields[12]), system=int(fields[12]),
                 children=int(fields[13]) + int(fields[14]),
                 start=int(fields[19]), ppid=int(fields[1]))


def children_by_parent():
    tree = collections.defaultdict(list)
    for name in os.listdir("/proc"):
        if name.isdigit():
            found = usage(int(name))
            if found:
                tree[found.ppid].append(int(name))
    return tree


def with_descendants(pid, tree):
    pids, pending = [], [pid]
    while pending:
        current = pending.pop()
        pids.append(current)
        pending.extend(tree.get(current, []))
    return pids


def read_pid(path):
    try:
        with open(path) as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return None


def supervised_pids(var_dir):
    """{program: [pid, ...]} of the processes supervisord runs, from supervisorctl
    ("voice-outbound:voice-outbound_00   RUNNING   pid 123, uptime 0:00:05")."""
    result = subprocess.run(["supervisorctl", "-c", os.path.join(var_dir, "conf", "supervisord.conf"), "status"],
                            capture_output=True, text=True, timeout=30)
    programs = collections.defaultdict(list)
    for line in result.stdout.splitlines():
        match = re.match(r"^(\S+)\s+RUNNING\s+pid (\d+),", line)
        if match:
            programs[match.group(1).split(":")[0]].append(int(match.group(2)))
    return programs


class Snapshot:
    """CPU counters of every process of a stack (each program with its
    descendants: nginx's workers), of supervisord, and of named extra processes.
    The calling process counts with the children it has waited for (the voicectl
    and supervisorctl it ran)."""

    def __init__(self, var_dir, extra):
        self.time = time.time()
        tree = children_by_parent()
        roots = dict(supervised_pids(var_dir))
        for program, name in (("nginx", "nginx.pid"), ("supervisord", "supervisord.pid")):
            pid = read_pid(os.path.join(var_dir, "run", name))
            if pid:
                roots[program] = [pid]
        self.processes = {}  # (program, pid, start) -> Usage
        for program, pids in roots.items():
            for root in pids:
                for pid in ([root] if program == "supervisord" else with_descendants(root, tree)):
                    self.add(program, pid)
        for program, pid in extra.items():
            self.add(program, pid)
        me = usage(os.getpid())
        self.processes[("load-generator", os.getpid(), me.start)] = me._replace(cpu=me.cpu + me.children, children=0)

    def add(self, program, pid):
        found = usage(pid)
        if found:
            self.processes[(program, pid, found.start)] = found


# -- CPU by program ------------------------------------------------------------------


class ProgramCPU:
    def __init__(self):
        self.ms = 0.0
        self.system_ms = 0.0  # of ms, in the kernel (processes alive at both snapshots only)
        self.processes = 0
        self.started, self.exited = [], []
        self.reaped = []  # (ms, parent program) of exited processes' CPU during the run

    def notes(self):
        notes = []
        if self.exited:
            notes.append(f"pid {', '.join(map(str, self.exited))} exited during the run")
        for ms, parent in self.reaped:
            notes.append(f"{ms:.0f} ms used by processes that exited during the run (from {parent}'s reaped-children counter)")
        if self.started:
            notes.append(f"pid {', '.join(map(str, self.started))} started during the run (counted whole)")
        return notes


def ticks_ms(ticks):
    return ticks * 1000.0 / CLOCK_TICK


def cpu_by_program(before, after):
    """Each program's CPU between two snapshots. A process present in both counts
    its difference; one that started during the run counts whole; one that exited
    is counted through its parent's reaped-children counter (supervisord's for a
    program, nginx's master for a worker), less what it had used before."""
    programs = collections.defaultdict(ProgramCPU)
    for key, now in after.processes.items():
        program, pid, _ = key
        row = programs[program]
        row.processes += 1
        if key in before.processes:
            row.ms += ticks_ms(now.cpu - before.processes[key].cpu)
            row.system_ms += ticks_ms(now.system - before.processes[key].system)
        else:
            row.ms += ticks_ms(now.cpu)
            row.started.append(pid)
    account_exited(before, after, programs)
    return programs


def account_exited(before, after, programs):
    exited = [key for key in before.processes if key not in after.processes]
    for key in exited:
        programs[key[0]].exited.append(key[1])
    reaped = collections.defaultdict(float)  # parent's program -> reaped ms during the run
    for key, now in after.processes.items():
        if key in before.processes:
            reaped[key[0]] += ticks_ms(now.children - before.processes[key].children)
    for key in exited:
        reaped[parent_program(key, before)] -= ticks_ms(before.processes[key].cpu)
    for parent, ms in reaped.items():
        if ms < 1:
            continue
        names = sorted({key[0] for key in exited if parent_program(key, before) == parent})
        # supervisord reaps every program: name the one that exited when there is one.
        target = parent if parent != "supervisord" else (names[0] if len(names) == 1 else "exited processes")
        programs[target].ms += ms
        programs[target].reaped.append((ms, parent))


def parent_program(key, snapshot):
    parent = snapshot.processes[key].ppid
    for (program, pid, _) in snapshot.processes:
        if pid == parent:
            return program
    return "supervisord"


def print_cpu_table(programs, calls, turns=None):
    """CPU ms per program, per call and, given the number of turns (POST
    /voice/process-speech requests), per turn."""
    per_turn = f" {'ms/turn':>10}" if turns else ""

    def line(label, count, ms):
        print(f"  {label:36} {count:>5} {ms:>10.0f} {ms / calls:>10.2f}" + (f" {ms / turns:>10.2f}" if turns else ""))

    ours = {p: r for p, r in programs.items() if p not in NOT_OURS}
    print(f"\nCPU by program (utime+stime from /proc, {CLOCK_TICK} ticks/s; {calls} calls"
          + (f", {turns} turns" if turns else "") + "):")
    print(f"  {'program':36} {'procs':>5} {'CPU ms':>10} {'ms/call':>10}" + per_turn)
    listed = [p for p in CALL_PROGRAMS if p in ours]
    listed += sorted(p for p in ours if p not in CALL_PROGRAMS and ours[p].ms >= 1)
    for program in listed:
        line(LABELS.get(program, program), ours[program].processes, ours[program].ms)
    idle = sorted(p for p in ours if p not in listed)
    if idle:
        line(f"other endpoints ({len(idle)}, < 1 ms each)", sum(ours[p].processes for p in idle),
             sum(ours[p].ms for p in idle))
    total = sum(r.ms for r in ours.values())
    print(f"  {'ours total (nginx+endpoints+worker)':36} {'':>5} {total:>10.0f} {total / calls:>10.2f}"
          + (f" {total / turns:>10.2f}" if turns else ""))
    print("  apart, not ours:")
    for program, label in NOT_OURS.items():
        if program in programs:
            line(label, programs[program].processes, programs[program].ms)
    print("  (supervisord copies every program's output into its log files: its CPU grows with log lines)")
    if turns:
        print("  (ms/turn: each program's CPU over the POST /voice/process-speech requests nginx logged)")
    for program, row in sorted(programs.items()):
        for note in row.notes():
            print(f"  note: {program}: {note}")


# -- the outbox over time ---------------------------------------------------------------


class Sample(collections.namedtuple("Sample", "at jobs sessions retrying claimed kinds")):
    """One look at SessionDB: outbox jobs and live session entries (-1 when
    unreadable) and, when detailed, of the jobs those retrying after a failure,
    those claimed by a worker and the counts by kind (else None)."""


def voicectl_json(voicectl, *args):
    try:
        result = subprocess.run([voicectl, *args], capture_output=True, text=True, timeout=20)
        return json.loads(result.stdout) if result.returncode == 0 else None
    except (ValueError, subprocess.TimeoutExpired):
        return None


def take_sample(voicectl, detailed=True):
    """Counts from `voicectl sessiondb stats` (one outbox entry per job); the
    breakdown from `voicectl outbox --json`, which costs more as the outbox grows."""
    at = time.time()
    stats = voicectl_json(voicectl, "sessiondb", "stats")
    entries = stats.get("entries", {}) if isinstance(stats, dict) else {}
    jobs, sessions = entries.get("outbox", -1), entries.get("sessions", -1)
    listed = voicectl_json(voicectl, "outbox", "--json") if detailed and jobs != 0 else []
    if not isinstance(listed, list):
        return Sample(at, jobs, sessions, None, None, None)
    kinds = collections.Counter(job.get("kind", "?") for job in listed)
    retrying = sum(1 for job in listed if job.get("attempts", 0) > 0)
    claimed = sum(1 for job in listed if job.get("claimedBy") or job.get("claimed_by"))
    return Sample(at, jobs, sessions, retrying, claimed, dict(kinds))


class OutboxSampler(threading.Thread):
    """Samples the outbox and the live sessions every `interval` seconds until
    stopped; the breakdown by kind every time while the outbox holds up to
    `detail_limit` jobs, else every `detail_every` samples, so the sampling does
    not take the cores it measures."""

    def __init__(self, voicectl, interval=1.0, detail_limit=300, detail_every=5):
        super().__init__(daemon=True)
        self.voicectl = voicectl
        self.interval = interval
        self.detail_limit, self.detail_every = detail_limit, detail_every
        self.samples = []
        self.stopping = threading.Event()
        self.sampled = threading.Condition()

    def run(self):
        next_at = time.monotonic()
        while not self.stopping.is_set():
            last = self.samples[-1].jobs if self.samples else 0
            detailed = last <= self.detail_limit or len(self.samples) % self.detail_every == 0
            sample = take_sample(self.voicectl, detailed)
            with self.sampled:
                self.samples.append(sample)
                self.sampled.notify_all()
            next_at += self.interval
            self.stopping.wait(max(0.0, next_at - time.monotonic()))

    def next_sample(self, timeout):
        """Waits for a sample newer than the last one seen now; returns it (or None)."""
        with self.sampled:
            seen = len(self.samples)
            self.sampled.wait_for(lambda: len(self.samples) > seen, timeout=timeout)
            return self.samples[-1] if len(self.samples) > seen else None

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)


def print_outbox_series(samples, started, calls_ended, lines=24):
    """A compact series (about `lines` rows, preferring samples with the breakdown),
    the maximum depth, and where the calls ended."""
    if not samples:
        print("\noutbox: no sample")
        return
    step = max(1, -(-len(samples) // lines))
    deepest = max(samples, key=lambda s: s.jobs)
    print(f"\noutbox over time (a sample every second, a row every ~{step}; t from the first /make-call;"
          " sessions: entries of SessionDB's sessions database; '.': not broken down this time):")
    print(f"  {'t s':>6} {'jobs':>6} {'sessions':>8} {'retrying':>8} {'claimed':>7}  by kind")
    shown = {detailed_near(samples, index, step) for index in range(0, len(samples), step)}
    ended_marked = False
    for index in sorted(shown | {len(samples) - 1, samples.index(deepest)}):
        sample = samples[index]
        if not ended_marked and sample.at >= calls_ended:
            print(f"  {calls_ended - started:>6.1f} {'---- last call ended':<40}")
            ended_marked = True
        print(f"  {sample.at - started:>6.1f} {sample.jobs:>6} {sample.sessions:>8} {breakdown(sample)}")
    print(f"  max depth: {deepest.jobs} jobs at t={deepest.at - started:.1f} s"
          f"   max live sessions: {max(s.sessions for s in samples)}")


def detailed_near(samples, index, step):
    """The first sample from `index` within `step` that has the breakdown, else `index`."""
    for candidate in range(index, min(index + step, len(samples))):
        if samples[candidate].kinds is not None:
            return candidate
    return index


def breakdown(sample):
    if sample.kinds is None:
        return f"{'.':>8} {'.':>7}  ."
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(sample.kinds.items()))
    return f"{sample.retrying:>8} {sample.claimed:>7}  {kinds}"


# -- pausing the emulator -------------------------------------------------------------


def listener_pid(port):
    """The pid listening on 127.0.0.1:port, from `ss -Hltnp 'sport = :PORT'`."""
    output = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    match = re.search(r"pid=(\d+)", output)
    if not match:
        raise RuntimeError(f"no process listens on port {port}")
    return int(match.group(1))


class EmulatorPause(threading.Thread):
    """SIGSTOP the emulator `after` seconds from start(), SIGCONT it `seconds` later.
    A hung process with its socket open is how DynamoDB fails in a brownout: the
    connections are accepted and nothing answers."""

    def __init__(self, port, after, seconds):
        super().__init__(daemon=True)
        self.port, self.after, self.seconds = port, after, seconds
        self.pid = listener_pid(port)  # now: looking it up takes ss a while
        self.paused_at = self.resumed_at = None
        self.error = None
        self.cancelled = threading.Event()
        self.lock = threading.Lock()

    def run(self):
        if self.cancelled.wait(self.after):
            return
        try:
            with self.lock:
                os.kill(self.pid, signal.SIGSTOP)
                self.paused_at = time.time()
        except OSError as error:
            self.error = str(error)
            return
        self.cancelled.wait(self.seconds)
        self.resume()

    def resume(self):
        """Idempotent; also called on the way out, so the emulator is never left stopped."""
        self.cancelled.set()
        with self.lock:
            if self.paused_at and not self.resumed_at:
                os.kill(self.pid, signal.SIGCONT)
                self.resumed_at = time.time()

    def describe(self, started):
        if self.error:
            return f"AWS emulator pause failed: {self.error}"
        if not self.paused_at:
            return "AWS emulator was not paused (the run ended first)"

        def moment(at):
            return f"{time.strftime('%H:%M:%S', time.localtime(at))} (t={at - started:.1f} s)"

        resumed = f"resumed (SIGCONT) at {moment(self.resumed_at)}" if self.resumed_at else "not resumed"
        return (f"AWS emulator (pid {self.pid}, port {self.port}) paused (SIGSTOP) at {moment(self.paused_at)}, "
                f"{resumed}: {(self.resumed_at or time.time()) - self.paused_at:.1f} s")
