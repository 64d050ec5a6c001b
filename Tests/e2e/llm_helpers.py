"""The stand-in LLM (tools/llmsim) for the e2e tests: started on a free port,
scripted and inspected through its /_sim control API.

    with LLMStandIn(latency_ms=0) as llm:
        llm.script([{"match": "my name", "json": {"reply": "Thanks!", "collected": {}, "end_call": False}}])
        stack = make_stack(llm.openai_env())
        ...
        assert llm.requests()[0]["body"]["messages"][0]["role"] == "system"

or, in a test module, `from llm_helpers import llm` for a fixture.
"""
import os
import re
import subprocess
import sys
import tempfile

import pytest
import requests

from conftest import ROOT, wait_until

API_KEY = "llmsim-test-key"


class LLMStandIn:
    """One `python -m tools.llmsim` process; its log is kept for failure reports."""

    def __init__(self, latency_ms=0, api_key=API_KEY, refuse_json_schema=False, model="llmsim"):
        self.api_key = api_key
        self.model = model
        self.log_path = tempfile.mkstemp(prefix="llmsim-", suffix=".log")[1]
        command = [sys.executable, "-m", "tools.llmsim", "--port", "0", "--latency-ms", str(latency_ms),
                   "--model", model]
        if api_key:
            command += ["--api-key", api_key]
        if refuse_json_schema:
            command.append("--refuse-json-schema")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        # --port 0: the server binds a free port and names it on its first line (no race with other tests).
        try:
            self.ollama_host = wait_until(self._announced, timeout=10, what="the stand-in LLM to listen")
        except BaseException:
            self.stop()
            raise
        self.base_url = self.ollama_host + "/v1"

    def _announced(self):
        if self.process.poll() is not None:
            raise AssertionError(f"the stand-in LLM exited ({self.process.returncode}):\n{self.log()}")
        match = re.search(r"llmsim on (http://\S+)", self.log())
        return match.group(1) if match else None

    def log(self):
        with open(self.log_path, errors="replace") as handle:
            return handle.read()

    def _control(self, method, path, body=None):
        response = requests.request(method, self.ollama_host + path, json=body, timeout=10)
        assert response.status_code == 200, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    # -- the control API ------------------------------------------------------

    def script(self, rules):
        """Replaces the rules; the first whose `match` is in the last user message answers."""
        return self._control("POST", "/_sim/script", rules)

    def rules(self):
        """The rules still in the script (a used-up `times` rule is gone), with `times_left`."""
        return self._control("GET", "/_sim/script")

    def requests(self, path=None):
        """Every model request received so far (optionally only those to `path`), oldest first."""
        entries = self._control("GET", "/_sim/requests")
        return [entry for entry in entries if path is None or entry["path"] == path]

    def chat_requests(self):
        return [entry for entry in self.requests() if entry["path"] in ("/v1/chat/completions", "/api/chat")]

    def clear(self):
        return self._control("DELETE", "/_sim/requests")

    def reset(self):
        """No rules and no recorded requests."""
        return self._control("POST", "/_sim/reset", {})

    def set_latency(self, ms):
        return self._control("POST", "/_sim/config", {"latency_ms": ms})

    # -- settings for a stack pointed at it -----------------------------------

    def openai_env(self, **extra):
        env = {"USE_OPENAI": "true", "OPENAI_BASE_URL": self.base_url, "OPENAI_API_KEY": self.api_key or "unused",
               "OPENAI_MODEL": self.model}
        env.update(extra)
        return env

    def ollama_env(self, **extra):
        env = {"USE_LOCAL_LLM": "true", "OLLAMA_HOST": self.ollama_host, "OLLAMA_MODEL": self.model}
        env.update(extra)
        return env

    # -- lifecycle --------------------------------------------------------------

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if os.path.exists(self.log_path):
            os.unlink(self.log_path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@pytest.fixture
def llm():
    """A stand-in LLM (API key required, default rules) for one test."""
    with LLMStandIn() as stand_in:
        yield stand_in
