"""Fixtures that run the real stack: nginx, supervisord, the endpoint executables
and SessionDB on disk, each test module on its own free port and state folder.

The stack is started with scripts/start from the release build that scripts/test
made; nothing here replaces a part of the product.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xmlrpc.client

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN_DIR = os.path.join(ROOT, ".build", "release")


# Ports are handed out from a block of their own to each pytest-xdist worker,
# below the kernel's ephemeral range (32768 and up), and never twice in a run:
# a port the kernel picked for one worker could be picked again for another
# between its release here and its use by the stack (seen: a stack's emulator
# port taken by another stack's nginx).
_PORT_BLOCK = 2000
_PORT_BASE = 20000 + _PORT_BLOCK * int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").lstrip("gw") or 0)
_next_port = [_PORT_BASE]


def free_port():
    for _ in range(_PORT_BLOCK):
        port = _next_port[0]
        _next_port[0] = _PORT_BASE + (port + 1 - _PORT_BASE) % _PORT_BLOCK
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue  # in use by something else: the next one
        return port
    raise RuntimeError(f"no free port in {_PORT_BASE}..{_PORT_BASE + _PORT_BLOCK - 1}")


def wait_until(condition, timeout=30.0, interval=0.05, what="condition"):
    """Polls `condition` until it returns a truthy value, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def freeze(pid):
    """SIGSTOP `pid` and wait until every one of its threads has stopped. The
    signal is asynchronous: until the thread the kernel picked has run, the
    others are not told, and one woken by a connection meanwhile would still
    accept it."""
    os.kill(pid, signal.SIGSTOP)

    def stopped():
        try:
            threads = os.listdir(f"/proc/{pid}/task")
            states = []
            for thread in threads:
                with open(f"/proc/{pid}/task/{thread}/stat") as handle:
                    states.append(handle.read().rsplit(")", 1)[1].split()[0])
        except FileNotFoundError:
            return False  # a thread came or went while reading: look again
        return all(state in ("T", "t") for state in states)
    wait_until(stopped, timeout=10, interval=0.005, what=f"every thread of {pid} stopped")


class _UnixSocketTransport(xmlrpc.client.Transport):
    """XML-RPC over supervisord's unix socket."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        path = self.path

        class Connection(http.client.HTTPConnection):
            def connect(self):
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)

        return Connection("localhost", timeout=10)


class Stack:
    """One running stack, isolated by port and VAR_DIR."""

    def __init__(self, var_dir, extra_env=None):
        self.var_dir = var_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env_file = os.path.join(var_dir, "test.env")
        open(env_file, "w").close()
        self.env = dict(os.environ)
        # Hermetic: a developer's .env in the checkout must not leak into tests.
        self.env.update({
            "ENV_FILE": env_file,
            "VAR_DIR": var_dir,
            "HTTP_PORT": str(self.port),
            "LOCAL_AWS": "false",
            "LOCAL_AWS_PORT": str(free_port()),
            "LOCAL_TWILIO": "false",
            "TWILIO_SIM_PORT": str(free_port()),
            "HANDLER_PROCESSES": "2",
            "LOG_LEVEL": "info",
        })
        self.env.update(extra_env or {})

    def script(self, name, *args, check=True, timeout=120):
        return subprocess.run([os.path.join(ROOT, "scripts", name), *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, check=check, timeout=timeout)

    def voicectl(self, *args, check=True, timeout=120, extra_env=None):
        env = dict(self.env, **(extra_env or {}))
        return subprocess.run([os.path.join(BIN_DIR, "voicectl"), *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=check, timeout=timeout)

    def start(self):
        result = self.script("start", check=False)
        if result.returncode != 0:
            raise AssertionError(f"scripts/start failed:\n{result.stdout}\n{result.stderr}")

    def stop(self):
        self.script("stop", check=False)

    def ctl(self, *args, check=True):
        return self.script("ctl", *args, check=check)

    def processes(self, program):
        """{process name: pid} of every process of `program` (e.g.
        process-speech:process-speech_00), as supervisord reports them over its
        XML-RPC socket (quicker than supervisorctl); 0 for a process that is not
        RUNNING."""
        socket_path = os.path.join(self.var_dir, "run", "supervisor.sock")
        rpc = xmlrpc.client.ServerProxy("http://supervisor", transport=_UnixSocketTransport(socket_path))
        processes = {f"{info['group']}:{info['name']}": info["pid"] if info["statename"] == "RUNNING" else 0
                     for info in rpc.supervisor.getAllProcessInfo() if info["group"] == program}
        assert processes, f"supervisord runs no {program}"
        return dict(sorted(processes.items()))

    def pids(self, program):
        """The pids of every process of `program`, every one running (a 0 given
        to os.kill would signal the test's own process group)."""
        processes = self.processes(program)
        assert all(processes.values()), f"not every process of {program} is running: {processes}"
        return list(processes.values())

    def get(self, path, **kwargs):
        return requests.get(self.url + path, timeout=10, **kwargs)

    def post(self, path, **kwargs):
        return requests.post(self.url + path, timeout=10, **kwargs)

    def log_lines(self, name):
        """The JSON lines of $VAR_DIR/log/<name>.log (other lines skipped); [] before it exists."""
        path = os.path.join(self.var_dir, "log", f"{name}.log")
        lines = []
        if os.path.exists(path):
            with open(path, errors="replace") as handle:
                for text in handle:
                    try:
                        lines.append(json.loads(text))
                    except ValueError:
                        pass
        return lines

    def logs(self):
        out = []
        log_dir = os.path.join(self.var_dir, "log")
        if os.path.isdir(log_dir):
            for name in sorted(os.listdir(log_dir)):
                with open(os.path.join(log_dir, name), errors="replace") as handle:
                    lines = handle.readlines()[-40:]
                out.append(f"----- {name} (last {len(lines)} lines)\n" + "".join(lines))
        return "\n".join(out)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for stack in getattr(item, "stacks", []):
            report.sections.append((f"stack logs ({stack.var_dir})", stack.logs()))


@pytest.fixture
def var_dir():
    path = tempfile.mkdtemp(prefix="voice-e2e-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def make_stack(request, var_dir):
    """Factory: make_stack(extra_env) -> started Stack; stopped and removed after the test."""
    started = []

    def factory(extra_env=None, start=True):
        sub = tempfile.mkdtemp(prefix="stack-", dir=var_dir)
        stack = Stack(sub, extra_env)
        started.append(stack)
        request.node.stacks = started
        if start:
            stack.start()
        return stack

    yield factory
    for stack in started:
        stack.stop()


def module_stack(request, tmp_path_factory, extra_env=None):
    """A started stack shared by the tests of a module (for a module-scoped
    fixture); stopped when the module's tests are done."""
    stack = Stack(str(tmp_path_factory.mktemp("stack")), extra_env)
    request.addfinalizer(stack.stop)
    stack.start()
    return stack


@pytest.fixture
def stack(make_stack):
    return make_stack()
