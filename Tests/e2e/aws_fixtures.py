"""Fixtures for the AWS layer's black-box tests: the voicectl binary, a moto
server on a free loopback port, and IAM users with signature checking and policy
enforcement switched on (see PLATFORM-NOTES.md, "moto's server mode").

Import from test modules: `from aws_fixtures import *`.
"""
import ctypes
import json
import os
import signal
import subprocess
import tempfile
import threading

import boto3
import pytest
import requests

from conftest import BIN_DIR, free_port, wait_until as poll

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
REGION = "us-east-1"
RECORDINGS_BUCKET = "voice-assistant-recordings"

# The least-privilege policy of the original guide. moto checks DynamoDB actions
# against resource "*" only, so that statement names "*" instead of the tables.
LEAST_PRIVILEGE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow",
         "Action": ["dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem",
                    "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchWriteItem"],
         "Resource": "*"},
        {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
         "Resource": [f"arn:aws:s3:::{RECORDINGS_BUCKET}/*"]},
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [f"arn:aws:s3:::{RECORDINGS_BUCKET}"]},
    ],
}
ADMIN_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


# ptrace(2) through libc, to stop a child at its exit while its memory is still there.
_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
_LIBC.ptrace.restype = ctypes.c_long
PTRACE_TRACEME, PTRACE_CONT, PTRACE_SETOPTIONS = 0, 7, 0x4200
PTRACE_O_TRACEEXIT, PTRACE_O_EXITKILL, PTRACE_EVENT_EXIT = 0x40, 0x100000, 6
UNTRACEABLE = 121  # the child's exit status when it may not be traced


def _ptrace(request, pid, data=0):
    if _LIBC.ptrace(request, pid, None, ctypes.c_void_p(data)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"ptrace({request}, {pid}): {os.strerror(error)}")


def _trace_me():
    if _LIBC.ptrace(PTRACE_TRACEME, 0, None, None) != 0:
        os._exit(UNTRACEABLE)


def _high_water_mark_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError(f"/proc/{pid}/status has no VmHWM")


def run_with_peak_rss(argv, env, timeout):
    """Runs argv; returns (exit status, stdout, stderr, peak RSS in KiB).

    The peak is the program's VmHWM (the high-water mark of its resident set), read
    from /proc when the kernel stops it at its exit (PTRACE_O_TRACEEXIT), before
    its memory is released. VmHWM belongs to the address space the program's exec
    created; getrusage's maxrss would not do, since a child forked from this large
    Python process starts with Python's peak in it. Needs nothing installed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=err, preexec_fn=_trace_me)
        watchdog = threading.Timer(timeout, os.kill, (process.pid, signal.SIGKILL))
        watchdog.start()
        peak = None
        try:
            _, status = os.waitpid(process.pid, 0)  # stopped at its exec, before anything ran
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == UNTRACEABLE:
                raise AssertionError("ptrace(PTRACE_TRACEME) is not permitted here: cannot measure peak RSS")
            assert os.WIFSTOPPED(status) and os.WSTOPSIG(status) == signal.SIGTRAP, f"unexpected status {status:#x}"
            _ptrace(PTRACE_SETOPTIONS, process.pid, PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL)
            _ptrace(PTRACE_CONT, process.pid)
            while True:
                _, status = os.waitpid(process.pid, 0)
                if os.WIFEXITED(status) or os.WIFSIGNALED(status):
                    break
                if status >> 8 == signal.SIGTRAP | (PTRACE_EVENT_EXIT << 8):
                    peak = _high_water_mark_kib(process.pid)
                    _ptrace(PTRACE_CONT, process.pid)
                else:  # a signal for the program: deliver it
                    _ptrace(PTRACE_CONT, process.pid, os.WSTOPSIG(status))
        finally:
            watchdog.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        assert peak is not None, f"{argv[0]} ended without an exit stop (status {status:#x})"
        out.seek(0)
        err.seek(0)
        return process.returncode, out.read().decode(), err.read().decode(), peak


def find_voicectl():
    """VOICECTL if set, else the release build scripts/test makes."""
    path = os.environ.get("VOICECTL") or os.path.join(BIN_DIR, "voicectl")
    if not os.path.exists(path):
        raise AssertionError(f"{path} is not built: run scripts/test (or swift build -c release)")
    return path


@pytest.fixture(scope="session")
def voicectl_bin():
    return find_voicectl()


class Moto:
    def __init__(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def reset_auth(self, count):
        requests.post(f"{self.url}/moto-api/reset-auth", data=str(count).encode(), timeout=10).raise_for_status()

    def reset(self):
        requests.post(f"{self.url}/moto-api/reset", timeout=10).raise_for_status()

    def client(self, service, key="setup", secret="setup"):
        return boto3.client(service, endpoint_url=self.url, region_name=REGION,
                            aws_access_key_id=key, aws_secret_access_key=secret)


@pytest.fixture(scope="session")
def moto():
    port = free_port()
    log = open(os.path.join(tempfile.gettempdir(), f"moto-{port}.log"), "w")
    process = subprocess.Popen([os.path.join(VENV_BIN, "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    server = Moto(port)

    def up():
        try:
            return requests.get(f"{server.url}/moto-api/", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    try:
        poll(up, what="moto_server")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


class IAM:
    """Users made while checks are off; `enforce()` turns signature and policy checks on."""

    def __init__(self, moto):
        self.moto = moto
        moto.reset_auth(10_000)
        moto.reset()
        iam = moto.client("iam")
        self.app = self._user(iam, "voice-app", LEAST_PRIVILEGE_POLICY)
        self.admin = self._user(iam, "voice-admin", ADMIN_POLICY)

    @staticmethod
    def _user(iam, name, policy):
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName=f"{name}-policy", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return key["AccessKeyId"], key["SecretAccessKey"]

    def enforce(self):
        self.moto.reset_auth(0)

    def admin_client(self, service):
        return self.moto.client(service, *self.admin)


@pytest.fixture
def iam(moto):
    users = IAM(moto)
    yield users
    # Leave the shared server open for the next test's setup.
    moto.reset_auth(10_000)


class VoiceCtl:
    """Runs `voicectl aws …` with a hermetic environment pointing at moto."""

    def __init__(self, binary, moto, key, secret, home):
        self.binary = binary
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "ENV_FILE": os.path.join(home, "none.env"),
            "AWS_ENDPOINT_URL": moto.url,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def run(self, *args, input=None, check=True, timeout=120):
        result = subprocess.run([self.binary, "aws", *args], env=self.env, input=input, capture_output=True,
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"voicectl aws {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    def run_measured(self, *args):
        """Runs a command and returns (stdout, peak RSS in KiB) of that process alone."""
        code, out, err, peak_kib = run_with_peak_rss([self.binary, "aws", *args], self.env, timeout=300)
        assert code == 0, f"{args} failed ({code}): {out}\n{err}"
        return out, peak_kib


@pytest.fixture
def voicectl_for(voicectl_bin, moto, tmp_path):
    """voicectl_for((key, secret)) → a VoiceCtl signing with those credentials."""
    def make(credentials):
        return VoiceCtl(voicectl_bin, moto, credentials[0], credentials[1], str(tmp_path))
    return make
