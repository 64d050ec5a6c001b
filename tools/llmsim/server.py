"""HTTP front: OpenAI's and Ollama's chat APIs, model lists, and the /_sim control API."""
import hmac
import json
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import shapes
from .script import RequestLog, Script, ScriptError


class Simulator:
    """The state the handler threads share."""

    def __init__(self, *, latency_ms=0, api_key=None, refuse_json_schema=False, model="llmsim"):
        self.latency_ms = latency_ms
        self.api_key = api_key
        self.refuse_json_schema = refuse_json_schema
        self.model = model
        self.script = Script()
        self.requests = RequestLog()

    def config(self):
        return {"latency_ms": self.latency_ms, "api_key_required": self.api_key is not None,
                "refuse_json_schema": self.refuse_json_schema, "model": self.model}


def make_handler(sim):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # one JSON line per request on stdout
            print(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "method": self.command, "path": self.path.split("?")[0],
                              "status": args[1] if len(args) > 1 else None}), flush=True)

        # -- helpers ------------------------------------------------------

        def reply(self, status, body, content_type="application/json", headers=None):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", "1")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                data = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    chunk = self.rfile.read(size + 2)[:size]
                    if size == 0:
                        return data
                    data += chunk
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def json_body(self):
            """The parsed body, or (None, raw text) when it is not JSON."""
            raw = self.body()
            try:
                return json.loads(raw or b"null"), None
            except ValueError:
                return None, raw.decode("utf-8", "replace")

        def auth(self):
            header = self.headers.get("Authorization")
            valid = None
            if sim.api_key is not None:
                valid = header is not None and hmac.compare_digest(header.encode(), f"Bearer {sim.api_key}".encode())
            return {"present": header is not None, "valid": valid}

        def record(self, body, raw=None):
            headers = {name: value for name, value in self.headers.items() if name.lower() != "authorization"}
            entry = sim.requests.add(self.command, self.path, headers, self.auth(), body)
            if raw is not None:
                entry["raw_body"] = raw
            return entry

        def error(self, api, status, message=None):
            body = shapes.openai_error(status, message) if api == "openai" else \
                shapes.ollama_error(message or shapes.openai_error(status)["error"]["message"])
            self.reply(status, body)

        def path_only(self):
            return urllib.parse.urlsplit(self.path).path

        # -- routes -------------------------------------------------------

        def do_GET(self):
            path = self.path_only()
            if path == "/_sim/health":
                return self.reply(200, {"status": "ok"})
            if path == "/_sim/requests":
                return self.reply(200, sim.requests.all())
            if path == "/_sim/script":
                return self.reply(200, sim.script.rules())
            if path == "/_sim/config":
                return self.reply(200, sim.config())
            if path == "/v1/models":
                entry = self.record(None)
                if entry["auth"]["valid"] is False:
                    return self.answer(entry, "openai", 401)
                sim.requests.answered(entry, 200)
                return self.reply(200, shapes.openai_models(sim.model))
            if path == "/api/tags":
                sim.requests.answered(self.record(None), 200)
                return self.reply(200, shapes.ollama_tags(sim.model))
            self.reply(404, {"error": "not_found"})

        def do_POST(self):
            path = self.path_only()
            if path == "/v1/chat/completions":
                return self.chat("openai")
            if path == "/api/chat":
                return self.chat("ollama")
            if path.startswith("/_sim/"):
                return self.control(path)
            self.reply(404, {"error": "not_found"})

        def do_DELETE(self):
            if self.path_only() == "/_sim/requests":
                return self.reply(200, {"cleared": sim.requests.clear()})
            self.reply(404, {"error": "not_found"})

        def control(self, path):
            body, raw = self.json_body()
            if raw is not None:
                return self.reply(400, {"error": "the body is not JSON"})
            if path == "/_sim/script":
                try:
                    return self.reply(200, {"rules": sim.script.replace(body)})
                except ScriptError as problem:
                    return self.reply(400, {"error": str(problem)})
            if path == "/_sim/config":
                latency = (body or {}).get("latency_ms") if isinstance(body, dict) else None
                if not isinstance(latency, int) or isinstance(latency, bool) or latency < 0:
                    return self.reply(400, {"error": "expected {\"latency_ms\": integer >= 0}"})
                sim.latency_ms = latency
                return self.reply(200, sim.config())
            if path == "/_sim/reset":
                sim.script.replace([])
                sim.requests.clear()
                return self.reply(200, {"status": "reset"})
            self.reply(404, {"error": "not_found"})

        # -- the chat APIs --------------------------------------------------

        def answer(self, entry, api, status, message=None):
            sim.requests.answered(entry, status)
            self.error(api, status, message)

        def chat(self, api):
            started = time.time()
            body, raw = self.json_body()
            entry = self.record(body, raw)
            if api == "openai" and entry["auth"]["valid"] is False:
                return self.answer(entry, api, 401)
            if not isinstance(body, dict):
                return self.answer(entry, api, 400, "the body must be a JSON object")
            messages = body.get("messages")
            if not isinstance(messages, list) or not messages:
                return self.answer(entry, api, 400, "'messages' must be a non-empty list")
            response_format = body.get("response_format")
            if (api == "openai" and sim.refuse_json_schema and isinstance(response_format, dict)
                    and response_format.get("type") == "json_schema"):
                sim.requests.answered(entry, 500)
                return self.reply(500, shapes.json_schema_refusal())

            rule = sim.script.take(shapes.last_user_text(messages)) or {}
            delay = sim.latency_ms + rule.get("delay_ms", 0)
            if delay:
                time.sleep(delay / 1000)
            status = rule.get("status", 200)
            sim.requests.answered(entry, status)
            if "raw_body" in rule:
                return self.reply(status, rule["raw_body"].encode())
            if status >= 400:
                return self.error(api, status, rule.get("content"))

            if "json" in rule:
                content = json.dumps(rule["json"])
            else:
                content = rule.get("content", shapes.default_reply(messages))
            counts = shapes.usage(shapes.prompt_tokens(messages), shapes.count_tokens(content), rule.get("usage"))
            model = body.get("model") or sim.model
            if api == "openai":
                return self.reply(status, shapes.openai_completion(model, content, counts))
            if body.get("stream", True) is False:
                return self.reply(status, shapes.ollama_chat(model, content, counts, started))
            # Ollama streams unless told not to: newline-delimited chunks, then the final one.
            words = content.split(" ")
            lines = [shapes.ollama_chat(model, word if i == 0 else " " + word, counts, started, done=False)
                     for i, word in enumerate(words)]
            lines.append(shapes.ollama_chat(model, "", counts, started))
            self.reply(status, "".join(json.dumps(line) + "\n" for line in lines).encode(), "application/x-ndjson")

    return Handler


class SimulatorServer(ThreadingHTTPServer):
    # The default backlog of 5 resets bursts of simultaneous connections.
    request_queue_size = 256
    daemon_threads = True


def serve(host, port, sim):
    server = SimulatorServer((host, port), make_handler(sim))
    print(f"llmsim on http://{host}:{server.server_address[1]}", flush=True)
    server.serve_forever()
