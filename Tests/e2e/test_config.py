"""A malformed setting names the variable and stops the program."""
import os
import subprocess

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import BIN_DIR, ROOT


def run_check(var_dir, **overrides):
    env_file = os.path.join(var_dir, "test.env")
    with open(env_file, "w") as handle:
        handle.write("# written by the test\nHTTP_PORT=9999\n")
    env = dict(os.environ, ENV_FILE=env_file, VAR_DIR=var_dir, **overrides)
    return subprocess.run([os.path.join(BIN_DIR, "voicectl"), "config", "check"], env=env, cwd=ROOT,
                          capture_output=True, text=True)


def test_malformed_number_is_named(var_dir):
    result = run_check(var_dir, SESSION_SYNC_FREQUENCY="abc")
    assert result.returncode != 0
    assert "SESSION_SYNC_FREQUENCY='abc' is not valid: expected a whole number" in result.stderr


def test_secret_values_are_not_echoed(var_dir):
    result = run_check(var_dir, TWILIO_AUTH_TOKEN="hunter2", API_KEY="k", PUBLIC_URL="not a url", LOCAL_TWILIO="false")
    assert result.returncode != 0
    assert "PUBLIC_URL" in result.stderr
    assert "hunter2" not in result.stdout + result.stderr
    ok = run_check(var_dir, TWILIO_AUTH_TOKEN="hunter2-secret-value")
    assert ok.returncode == 0
    assert "hunter2-secret-value" not in ok.stdout + ok.stderr


def test_env_file_is_read_and_environment_wins(var_dir):
    result = run_check(var_dir)
    assert result.returncode == 0
    assert "HTTP_PORT                  9999" in result.stdout
    result = run_check(var_dir, HTTP_PORT="9100")
    assert "HTTP_PORT                  9100" in result.stdout


def test_privy_key_is_checked_before_any_chat_request(var_dir):
    bad = run_check(var_dir, PRIVY_APP_ID="app", PRIVY_VERIFICATION_KEY="-----BEGIN PUBLIC KEY-----\nnope\n")
    assert bad.returncode != 0
    assert "PRIVY_VERIFICATION_KEY" in bad.stderr and "P-256" in bad.stderr
    pem = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    good = run_check(var_dir, PRIVY_APP_ID="app", PRIVY_VERIFICATION_KEY=pem)
    assert good.returncode == 0, good.stderr
    assert "(valid P-256 key)" in good.stdout and "chat endpoints             enabled" in good.stdout
    assert "answer 503" in run_check(var_dir).stdout
