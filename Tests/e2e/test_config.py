"""A malformed setting names the variable and stops the program."""
import os
import subprocess

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
