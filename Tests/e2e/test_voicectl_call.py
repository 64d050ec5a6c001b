"""`voicectl call` against the real stack in local mode: the command registers a
scenario with the Twilio simulator, places the call through /make-call (or starts
an inbound call) and prints what was said. The checks read its output and the
simulator's own report, not the command's code."""
import json
import os
import subprocess

import requests

from conftest import BIN_DIR, ROOT
from voice_helpers import local_env

EXAMPLE = os.path.join(ROOT, "examples", "support-call.json")


def voicectl_call(stack, *args, stdin=None, timeout=90):
    return subprocess.run([os.path.join(BIN_DIR, "voicectl"), "call", *args], cwd=ROOT, env=stack.env,
                          input=stdin, capture_output=True, text=True, timeout=timeout)


def call_sid(output):
    first = output.splitlines()[0]
    return next(word.rstrip(":") for word in first.split() if word.startswith("CA"))


def sim_report(stack, sid):
    url = f"http://127.0.0.1:{stack.env['TWILIO_SIM_PORT']}/sim/calls/{sid}"
    return requests.get(url, timeout=10).json()


def test_scripted_call_prints_the_transcript_and_outcome(make_stack):
    stack = make_stack(local_env())
    result = voicectl_call(stack, "--agent", "customer-support-001", "--to", "+15550100301", "--script", EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    lines = [line for line in out.splitlines() if line.startswith(("agent:", "caller:"))]
    # The greeting first, then the caller's lines of the example, in order.
    assert lines[0].startswith("agent:") and "customer support" in lines[0].lower()
    with open(EXAMPLE) as handle:
        scenario = json.load(handle)["lines"]
    expected = [line if isinstance(line, str) else line.get("say", "(silence)") for line in scenario]
    assert [line.split(":", 1)[1].strip() for line in lines if line.startswith("caller:")] == expected
    assert "agent hangs up" in out
    assert "status    completed" in out
    assert "errors    none" in out
    # The command printed what the simulator saw: every agent line, in order.
    report = sim_report(stack, call_sid(out))
    spoken = [e["text"] for e in report["events"] if e["type"] == "agent"]
    assert [line.split(":", 1)[1].strip() for line in lines if line.startswith("agent:")] == spoken
    assert report["errors"] == []


def test_bare_array_scenario_and_unknown_agent(make_stack):
    stack = make_stack(local_env())
    script = os.path.join(stack.var_dir, "lines.json")
    with open(script, "w") as handle:
        json.dump(["Hello", "bye"], handle)
    result = voicectl_call(stack, "--agent", "sales-001", "--to", "+15550100302", "--script", script)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "caller: Hello" in result.stdout and "caller: bye" in result.stdout

    result = voicectl_call(stack, "--agent", "no-such-agent", "--to", "+15550100303", "--script", script)
    assert result.returncode != 0
    assert "no-such-agent" in result.stderr and "does not exist" in result.stderr
    assert "404" in result.stderr


def test_inbound_call_typed_on_stdin(make_stack):
    stack = make_stack(local_env())
    stack.voicectl("numbers", "assign", "+15550100399", "--agent", "sales-001")
    result = voicectl_call(stack, "--inbound", "--from", "+15550100304", "--to", "+15550100399",
                           stdin="My name is Jane Doe\n\n/bye\n")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "sales team" in out  # sales-001's greeting
    assert "you>    My name is Jane Doe" in out
    assert "you>    (silence)" in out
    assert "you>    (hangs up)" in out
    assert "name=Jane Doe" in out
    report = sim_report(stack, call_sid(out))
    assert report["direction"] == "inbound" and report["ended_by"] == "caller"


def test_refused_outside_local_mode(make_stack):
    stack = make_stack(start=False)  # LOCAL_TWILIO=false: real Twilio
    stack.env["PUBLIC_URL"] = "https://voice.example.com"
    result = voicectl_call(stack, "--agent", "sales-001", "--to", "+15550100305")
    assert result.returncode != 0
    assert "local mode" in result.stderr
