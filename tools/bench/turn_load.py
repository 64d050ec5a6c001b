"""Turn load: the conversation hot path alone, under wrk.

Opens S live calls by signed POST /voice/inbound, signs T caller turns for each
with the twilio package, and lets wrk send them through nginx as fast as it
can (turn 1 of every call, then turn 2, ...); once all are sent it starts again,
and the calls' turns past their last are answered without being stored. Prints wrk's rate and latency
percentiles, then checks through GET /sessions that the turns really landed,
and, given --var-dir, the CPU each of our programs spent per turn (wrk apart).
Asserts nothing.

    .venv/bin/python tools/bench/turn_load.py --api http://127.0.0.1:8080 \
        --auth-token TOKEN --api-key KEY [--sessions 800] [--turns 20] [--duration 10]
"""
import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stack_probe  # noqa: E402

import requests
from twilio.request_validator import RequestValidator

# Lines the rule engine answers without ending the call.
LINES = ["My name is Alex Turner", "alex at example dot com", "My router keeps restarting every night",
         "Can you help me?", "What time is it?", "What is the date today?",
         "I also have a question about billing", "Can you repeat that?"]

# wrk runs one Lua state per thread; thread k of n sends requests k, k+n, k+2n...
LUA = """
local paths = dofile(%(paths)s)
local bodies = dofile(%(bodies)s)
local signatures = dofile(%(signatures)s)
local counter = 0
function setup(thread)
    thread:set("first", counter)
    counter = counter + 1
end
function init(args)
    step = tonumber(args[1])
    index = first
    prepared = {}
    for i = 1, #bodies do
        prepared[i] = wrk.format("POST", paths[i], {
            ["Content-Type"] = "application/x-www-form-urlencoded",
            ["X-Twilio-Signature"] = signatures[i],
        }, bodies[i])
    end
end
function request()
    index = index + step
    if index > #prepared then index = index - #prepared end
    return prepared[index]
end
"""


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_lua_list(path, values):
    with open(path, "w") as handle:
        handle.write("return {\n")
        for value in values:
            handle.write(lua_string(value) + ",\n")
        handle.write("}\n")


def open_calls(args, validator):
    """Answers S inbound calls; returns their SIDs and the turn URL the answer named."""
    url = args.api + "/voice/inbound"
    sids, action = [], None
    with requests.Session() as http:
        for n in range(args.sessions):
            sid = "CA" + secrets.token_hex(16)
            params = {"CallSid": sid, "AccountSid": "AC" + "0" * 32, "From": f"+1555{n:07d}",
                      "To": "+15559990000", "Direction": "inbound", "CallStatus": "ringing"}
            response = http.post(url, data=params, timeout=15,
                                 headers={"X-Twilio-Signature": validator.compute_signature(url, params)})
            response.raise_for_status()
            gather = ElementTree.fromstring(response.text).find("Gather")
            if gather is None:
                sys.exit(f"the answer of {sid} does not gather speech: {response.text}")
            action = gather.get("action")
            sids.append(sid)
    return sids, action


def run(args):
    validator = RequestValidator(args.auth_token)
    sids, action = open_calls(args, validator)
    # Each turn posts to the action its answer named, with Twilio's turn key
    # (here the turn's number) in the query, signed over the whole URL.
    base = action.split("?", 1)[0]
    lists = {"paths": [], "bodies": [], "signatures": []}
    for turn in range(args.turns):
        url = f"{base}?turn=bench{turn}"
        parts = urllib.parse.urlsplit(url)
        for sid in sids:
            params = {"CallSid": sid, "SpeechResult": LINES[turn % len(LINES)], "Confidence": "0.92"}
            lists["paths"].append(parts.path + "?" + parts.query)
            lists["bodies"].append(urllib.parse.urlencode(params))
            lists["signatures"].append(validator.compute_signature(url, params))
    with tempfile.TemporaryDirectory() as work:
        files = {}
        for name, values in lists.items():
            files[name] = os.path.join(work, name + ".lua")
            write_lua_list(files[name], values)
        script = os.path.join(work, "turns.lua")
        with open(script, "w") as handle:
            handle.write(LUA % {name: lua_string(path) for name, path in files.items()})
        command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
                   "-s", script, args.api, "--", str(args.threads)]
        before = stack_probe.Snapshot(args.var_dir, {}) if args.var_dir else None
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        after = stack_probe.Snapshot(args.var_dir, {}) if args.var_dir else None
    report(args, output, sids, len(lists["bodies"]))
    if before and after:
        total = int(re.search(r"(\d+) requests in", output).group(1))
        programs = stack_probe.cpu_by_program(before, after)
        programs.pop("load-generator", None)  # wrk is not ours, and not this process's child
        print(f"\nCPU per turn by program ({total} turns; utime+stime from /proc, {stack_probe.CLOCK_TICK} ticks/s):")
        for program in ("nginx", "process-speech", "worker", "supervisord"):
            if program in programs:
                row = programs[program]
                print(f"  {program:16} {row.ms:8.0f} ms   {row.ms * 1000 / total:8.1f} us/turn"
                      f"   (in the kernel {row.system_ms * 1000 / total:6.1f} us)")


def report(args, output, sids, prepared):
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    errors = [line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    sessions = requests.get(args.api + "/sessions", headers={"Authorization": f"Bearer {args.api_key}"},
                            timeout=30).json()["sessions"]
    ours = {s["call_sid"]: s["messages"] for s in sessions if s["call_sid"] in set(sids)}
    # Each session holds the greeting plus a caller line and a reply per turn.
    stored_turns = sum((messages - 1) // 2 for messages in ours.values())
    print(f"{len(sids)} live calls, {prepared} distinct signed turns, wrk -t{args.threads} "
          f"-c{args.connections} for {args.duration}s")
    print(f"\n{'turns/s':>10} {'p50':>9} {'p75':>9} {'p90':>9} {'p99':>9}  errors")
    print(f"{rate:>10} {percentiles.get('50', '-'):>9} {percentiles.get('75', '-'):>9} "
          f"{percentiles.get('90', '-'):>9} {percentiles.get('99', '-'):>9}  {'; '.join(errors) or 'none'}")
    print(f"\nturns sent {total}, turns stored in the sessions {stored_turns}, {len(ours)} of {len(sids)} "
          f"sessions live")
    if total > stored_turns:
        print(f"NOTE: {total - stored_turns} requests were not new turns (a turn past a call's last one is "
              f"answered without being stored): raise --sessions or --turns for a measure of new turns only")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", required=True)
    parser.add_argument("--auth-token", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--var-dir", help="the stack's VAR_DIR, for CPU by program")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
