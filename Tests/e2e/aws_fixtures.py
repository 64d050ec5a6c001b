"""Fixtures for the AWS layer's black-box tests: the voicectl binary, a moto
server on a free loopback port, and IAM users with signature checking and policy
enforcement switched on (see PLATFORM-NOTES.md, "moto's server mode").

Import from test modules: `from aws_fixtures import *`.
"""
import json
import os
import subprocess
import tempfile

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
        """Runs a command and returns (stdout, peak RSS in KiB) of that process alone.

        Measured by /usr/bin/time: a child forked from this Python process inherits
        Python's peak RSS in its rusage, which would hide the command's own."""
        if not os.path.exists("/usr/bin/time"):
            pytest.skip("/usr/bin/time (Debian package 'time') is needed to measure peak RSS")
        result = subprocess.run(["/usr/bin/time", "-f", "PEAK_RSS_KIB %M", self.binary, "aws", *args], env=self.env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{args} failed: {result.stdout}\n{result.stderr}"
        peak = [line for line in result.stderr.splitlines() if line.startswith("PEAK_RSS_KIB ")]
        return result.stdout, int(peak[-1].split()[1])


@pytest.fixture
def voicectl_for(voicectl_bin, moto, tmp_path):
    """voicectl_for((key, secret)) → a VoiceCtl signing with those credentials."""
    def make(credentials):
        return VoiceCtl(voicectl_bin, moto, credentials[0], credentials[1], str(tmp_path))
    return make
