"""Rolling restarts of the endpoints that write, under load: while calls are
placed and talk turn after turn and users chat, `scripts/ctl restart` replaces
every process of process-speech, voice-outbound and chat, one at a time. No
request fails (every webhook and every chat message answered 200, the simulator
sees no error) and nothing is lost (every caller line is in its call's final
transcript in DynamoDB, every chat message and reply in the conversation memory,
every todo a message asked for in remo-todos)."""
import concurrent.futures
import threading
import time

import requests

from conftest import wait_until
from remo_helpers import RemoStack, new_user
from voice_helpers import API_KEY, Voice, voice_webhooks

RESTARTED = ("process-speech", "voice-outbound", "chat")
DIALERS = 3        # calls live at once
CHATTERS = 2       # users chatting at once
LINES = 8          # caller lines per call


def call_lines(n):
    return [f"My name is Caller Number{n}", f"caller{n} at example dot com", f"restart issue {n}"] + \
        [f"call {n} line {i}" for i in range(4, LINES)] + ["No, that's all, thanks. Bye!"]


def test_rolling_restarts_of_writing_endpoints_fail_no_request_and_lose_no_turn(request):
    # Both assistants on one stack: the voice side in local mode, Privy configured.
    remo = RemoStack(LOCAL_TWILIO="true", API_KEY=API_KEY)
    request.node.stacks = [remo.stack]
    try:
        run(remo, Voice(remo.stack))
    finally:
        remo.close()


def restart(stack, endpoint):
    """`scripts/ctl restart endpoint`, checked: every process replaced by a
    running one. Returns when it started and ended."""
    before = stack.processes(endpoint)
    started = time.time()
    result = stack.ctl("restart", endpoint)
    ended = time.time()
    assert result.stdout.splitlines() == [f"{name} restarted" for name in before], result.stdout
    after = stack.processes(endpoint)
    assert after.keys() == before.keys() and all(after.values()), after
    assert not set(before.values()) & set(after.values()), f"{endpoint}: the processes were not replaced"
    return started, ended


def run(remo, voice):
    stop = threading.Event()
    lock = threading.Lock()
    calls = {}          # sid -> lines
    placed = []         # make-call answers that were not 200
    chats = {}          # user -> [(message, reply)]
    chat_failures = []
    served = []         # (time, endpoint) of each answer, to see traffic during each restart
    numbers = iter(range(10_000))

    def dialer():
        while not stop.is_set():
            with lock:
                n = next(numbers)
            to = f"+1555090{n:04d}"
            lines = call_lines(n)
            voice.scenario(to, lines, pause=0.2)
            try:
                response = voice.make_call("customer-support-001", to)
                failure = None if response.status_code == 200 else (response.status_code, response.text[:200])
            except requests.RequestException as error:
                failure = repr(error)
            if failure:
                with lock:
                    placed.append(failure)
                continue
            sid = response.json()["call_sid"]
            with lock:
                calls[sid] = lines
            # Waits for the call to end (checked below, with every other call).
            report = requests.get(f"{voice.sim}/sim/calls/{sid}", params={"wait": "1", "timeout": "120"},
                                  timeout=130).json()
            with lock:
                for hook in voice_webhooks(report):
                    endpoint = "voice-outbound" if "/voice/outbound" in hook["url"] else "process-speech"
                    served.append((hook["at"], endpoint))

    def chatter():
        user = new_user("restart")
        with lock:
            chats[user] = []
        session = requests.Session()
        n = 0
        while not stop.is_set():
            n += 1
            message = f"add a todo: restart task {n}"
            try:
                response = session.post(remo.url + "/chat", json={"message": message, "user_id": user},
                                        headers=remo.headers(user), timeout=15)
                status = response.status_code
            except requests.RequestException as error:
                status, response = type(error).__name__, None
            with lock:
                if status == 200:
                    chats[user].append((message, response.json()["reply"]))
                    served.append((time.time(), "chat"))
                else:
                    chat_failures.append((user, message, status, response.text[:200] if response is not None else ""))

    threads = [threading.Thread(target=dialer) for _ in range(DIALERS)] + \
        [threading.Thread(target=chatter) for _ in range(CHATTERS)]
    for thread in threads:
        thread.start()
    windows = {}
    try:
        wait_until(lambda: len(calls) >= DIALERS and sum(map(len, chats.values())) >= 10, timeout=60,
                   what="calls and chats to flow")
        # The three endpoints restart side by side, each one process at a time.
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(RESTARTED)) as pool:
            for endpoint, window in zip(RESTARTED, pool.map(lambda name: restart(remo.stack, name), RESTARTED)):
                windows[endpoint] = window
        # Traffic goes on after the last restart too.
        placed_so_far = len(calls)
        wait_until(lambda: len(calls) >= placed_so_far + DIALERS, timeout=60, what="calls after the restarts")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=180)

    # No request failed: make-call, every webhook of every call, every chat message.
    reports = {sid: voice.call_report(sid, wait=False) for sid in calls}
    failed = {"make-call": placed, "chat": chat_failures,
              "calls": [(sid, report["errors"] or "not done") for sid, report in reports.items()
                        if report["errors"] or not report["done"]]}
    assert not any(failed.values()), "failed requests: " + "; ".join(
        f"{kind}: {len(items)}, first {items[:2]}" for kind, items in failed.items() if items)
    # Each endpoint was answering requests while its processes were being replaced.
    for endpoint, (start, end) in windows.items():
        during = [at for at, which in served if which == endpoint and start <= at <= end]
        assert during, f"no {endpoint} request was served during its restart: the test proved nothing"

    for sid, lines in calls.items():
        report = reports[sid]
        hooks = voice_webhooks(report)
        assert len(hooks) == len(lines) + 1 and all(hook["status"] == 200 for hook in hooks), sid
        heard = [e["text"] for e in report["events"] if e["type"] == "caller" and "text" in e]
        assert heard == lines, sid
    for sid, lines in calls.items():
        record = voice.final_record(sid)
        stored = [m["content"] for m in record["conversation_history"] if m["role"] == "user"]
        assert stored == lines, f"{sid}: lost turns: {set(lines) - set(stored)}"
    for user, exchanged in chats.items():
        stored = [(m["role"], m["content"]) for m in remo.messages_of(user)]
        expected = [pair for message, reply in exchanged for pair in (("user", message), ("assistant", reply))]
        assert stored == expected, f"{user}: the memory lost messages"
        titles = sorted(todo["title"] for todo in remo.todos_of(user).values())
        assert titles == sorted(message.split(": ", 1)[1] for message, _ in exchanged), user
