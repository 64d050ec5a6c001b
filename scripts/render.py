#!/usr/bin/env python3
"""Renders nginx and supervisord configs for one stack into $VAR_DIR/conf.

Values come from the environment that scripts/lib/common.sh prepared (the
resolved configuration); routes from nginx/routes.txt. Standard library only:
it runs before the project's virtualenv exists.
"""
import os
import re
import shutil
import subprocess
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


def fill(template, values):
    def replace(match):
        key = match.group(1)
        if key not in values:
            sys.exit(f"render: no value for {{{{{key}}}}}")
        return str(values[key])
    return re.sub(r"\{\{([A-Z_]+)\}\}", replace, template)


def routes():
    table = []
    for number, line in enumerate(read("nginx/routes.txt").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            sys.exit(f"nginx/routes.txt line {number}: expected '<endpoint> <location>'")
        table.append((parts[0], parts[1]))
    return table


# The Twilio webhooks' endpoints (see the retry in main).
REPLAYABLE_WEBHOOKS = {"voice-outbound", "voice-inbound", "process-speech", "call-status", "recording-status"}
# Idle connections each nginx worker keeps to each endpoint.
UPSTREAM_IDLE_CONNECTIONS = 32


def upstream_name(endpoint):
    return "endpoint_" + endpoint.replace("-", "_")


def media_origin():
    """The origin the console's audio element loads presigned recordings from, for
    its Content-Security-Policy: the S3 endpoint as `voicectl config shell`
    resolved it (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the emulator in local
    mode), else AWS's S3 hosts."""
    endpoint = os.environ.get("S3_ENDPOINT_URL", "")
    if not endpoint:
        return "https://*.amazonaws.com"
    parts = urllib.parse.urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.scheme not in ("http", "https") or not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+", parts.netloc):
        sys.exit(f"render: the S3 endpoint {endpoint!r} is not an http(s) URL")
    return origin


def console_simulator(local_twilio):
    """Local mode only: the console's test call gives the simulated callee its
    lines through the simulator's own control API, and nothing else of it."""
    if not local_twilio:
        return ""
    return ("        location = /console/sim/scenarios {\n"
            f"            proxy_pass http://127.0.0.1:{os.environ['TWILIO_SIM_PORT']}/sim/scenarios;\n"
            "        }")


def main():
    var_dir = os.environ["VAR_DIR"]
    conf_dir = os.path.join(var_dir, "conf")
    for sub in ("conf", "run", "log", "nginx"):
        os.makedirs(os.path.join(var_dir, sub), exist_ok=True)
    values = {
        "ROOT": ROOT,
        "VAR_DIR": var_dir,
        "BIN_DIR": os.environ["BIN_DIR"],
        "HTTP_PORT": os.environ["HTTP_PORT"],
        "MAX_BODY_BYTES": os.environ["MAX_BODY_BYTES"],
        "NGINX_WORKERS": os.environ.get("NGINX_WORKERS", "auto"),
        "NGINX_BIN": shutil.which("nginx") or "/usr/sbin/nginx",
        # As root, nginx would hand requests to workers running as "nobody", who
        # cannot reach sockets the stack keeps private (mode 0600).
        "USER_DIRECTIVE": "user root root;" if os.geteuid() == 0 else "",
    }
    # Synthesized speech (USE_LOCAL_TTS): nginx serves the folder the handlers write.
    values["TTS_OUTPUT_DIR"] = os.path.abspath(os.environ.get("TTS_OUTPUT_DIR") or os.path.join(var_dir, "tts_output"))
    os.makedirs(values["TTS_OUTPUT_DIR"], exist_ok=True)
    local_twilio = os.environ.get("LOCAL_TWILIO", "true").lower() == "true"
    values.update(CONSOLE_MEDIA_ORIGIN=media_origin(), LOCAL_TWILIO=str(local_twilio).lower(),
                  CONSOLE_SIMULATOR=console_simulator(local_twilio))
    processes = os.environ.get("HANDLER_PROCESSES", "2")

    route_lines = []
    endpoints = []
    for endpoint, location in routes():
        # Twilio's webhooks are safe to replay (a turn is known by its key, an
        # answer by its session, a status by its call): one that fails on a kept
        # connection, because its process was killed or nginx reused the
        # connection as the process closed it, is sent again on a new one.
        retry = ("            fastcgi_next_upstream error non_idempotent;\n"
                 if endpoint in REPLAYABLE_WEBHOOKS else "")
        route_lines.append(
            f"        location {location} {{\n"
            f"            fastcgi_pass {upstream_name(endpoint)};\n"
            f"{retry}"
            f"            include {conf_dir}/fastcgi.conf;\n"
            f"        }}"
        )
        if endpoint not in endpoints:
            endpoints.append(endpoint)
    values["UPSTREAMS"] = "\n".join(
        f"    upstream {upstream_name(endpoint)} {{\n"
        f"        server unix:{var_dir}/run/{endpoint}.sock;\n"
        f"        keepalive {UPSTREAM_IDLE_CONNECTIONS};\n"
        f"        keepalive_timeout 1s;\n"
        f"        keepalive_time 1s;\n"
        f"    }}"
        for endpoint in endpoints)
    # nginx answers `GET /calls` for a `^~ /calls/` route with a 301 to
    # `/calls/` and an HTML body; without an exact route of its own, such a
    # path names no endpoint, so it gets the JSON 404 every unknown path gets.
    exact = {location.split()[-1] for _, location in routes() if location.startswith("= ")}
    for _, location in routes():
        prefix = location.split()[-1]
        if location.startswith("^~ ") and prefix.endswith("/") and prefix.rstrip("/") not in exact:
            route_lines.append(
                f"        location = {prefix.rstrip('/')} {{\n"
                f"            return 404 '{{\"error\":\"not_found\",\"detail\":\"no endpoint at this path\"}}';\n"
                f"        }}"
            )
            exact.add(prefix.rstrip("/"))
    values["ROUTES"] = "\n".join(route_lines)

    program = read("deploy/fcgi-program.template")
    programs = "".join(fill(program, dict(values, NAME=name, PROCESSES=processes)) for name in endpoints)
    programs += fill(read("deploy/worker.template"), dict(values, WORKER_PROCESSES=os.environ.get("WORKER_PROCESSES", "1")))
    if os.environ.get("LOCAL_AWS", "true").lower() == "true":
        programs = fill(read("deploy/local-aws.template"), dict(
            values, VENV=os.environ["VENV"], LOCAL_AWS_PORT=os.environ["LOCAL_AWS_PORT"])) + programs
    if local_twilio:
        programs = fill(read("deploy/twilio-sim.template"), dict(
            values, VENV=os.environ["VENV"], TWILIO_SIM_PORT=os.environ["TWILIO_SIM_PORT"])) + programs
    if os.environ.get("LOCAL_LLM", "false").lower() == "true":
        if not os.environ.get("LOCAL_LLM_MODEL_PATH"):
            sys.exit("render: LOCAL_LLM=true but no LOCAL_LLM_MODEL_PATH (scripts/start's ensure_local_llm sets it)")
        programs = fill(read("deploy/local-llm.template"), dict(
            values, VENV=os.environ["VENV"], LOCAL_LLM_PORT=os.environ.get("LOCAL_LLM_PORT", "4568"),
            LOCAL_LLM_MODEL_PATH=os.environ["LOCAL_LLM_MODEL_PATH"])) + programs
    values["PROGRAMS"] = programs

    outputs = {
        "nginx.conf": fill(read("nginx/nginx.conf.template"), values),
        "fastcgi.conf": fill(read("nginx/fastcgi.conf.template"), values),
        "supervisord.conf": fill(read("deploy/supervisord.conf.template"), values),
    }
    for name, text in outputs.items():
        with open(os.path.join(conf_dir, name), "w", encoding="utf-8") as handle:
            handle.write(text)

    check = subprocess.run(
        [values["NGINX_BIN"], "-t", "-q", "-e", os.path.join(var_dir, "log", "nginx-error.log"),
         "-c", os.path.join(conf_dir, "nginx.conf")],
        capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit("render: nginx rejects the rendered config:\n" + check.stderr)


if __name__ == "__main__":
    main()
