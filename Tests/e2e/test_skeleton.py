"""The frame: health through nginx, JSON errors, body limit, restarts that drop nothing."""
import os
import shutil
import threading
import time
from collections import Counter

import requests


def test_health_reaches_sessiondb(stack):
    response = stack.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"]
    db = body["sessiondb"]
    assert db["directory"].startswith(stack.var_dir)
    assert set(db["entries"]) >= {"sessions", "agents", "outbox", "meta"}
    assert db["map_size_bytes"] >= 1 << 20
    assert db["readers"] >= 1  # the snapshot this request took
    assert 0 < db["used_bytes"] <= db["map_size_bytes"]
    # Free space as the OS counts it for an unprivileged writer; other tests
    # write while this one runs, so the two reads agree within a margin.
    free = shutil.disk_usage(db["directory"]).free
    assert abs(db["disk_free_bytes"] - free) <= max(256 << 20, free // 20)
    assert response.headers["X-Request-ID"]


def test_health_sees_what_another_process_wrote(stack):
    before = stack.get("/health").json()["sessiondb"]["entries"]["meta"]
    stack.voicectl("sessiondb", "stress-increment", "--key", "health-probe", "--times", "3")
    after = stack.get("/health").json()["sessiondb"]["entries"]["meta"]
    assert after == before + 1


def test_errors_are_json(stack):
    missing = stack.get("/no/such/endpoint")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"

    wrong_method = stack.post("/health", data=b"x")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"error": "method_not_allowed", "detail": "POST is not allowed here; use GET"}
    assert wrong_method.headers["Allow"] == "GET"


def test_body_over_limit_is_413(stack):
    response = stack.post("/health", data=b"x" * (2 * 1024 * 1024),
                          headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    # The endpoint is still fine afterwards.
    assert stack.get("/health").status_code == 200


def test_nginx_static_ping(stack):
    response = stack.get("/ping")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_access_log_has_request_and_upstream_times(stack):
    request_id = stack.get("/health").headers["X-Request-ID"]
    import json, os
    from conftest import wait_until
    path = os.path.join(stack.var_dir, "log", "nginx-access.log")

    def logged():
        if not os.path.exists(path):
            return None
        for line in open(path):
            entry = json.loads(line)
            if entry["request_id"] == request_id:
                return entry
        return None

    entry = wait_until(logged, timeout=10, what="access log line")
    assert entry["status"] == 200
    assert float(entry["request_time"]) >= 0
    assert float(entry["upstream_response_time"]) >= 0
    assert entry["upstream"].endswith("health.sock")


def test_restart_drops_no_request(stack):
    """A steady stream of requests while the endpoint restarts one process at a time."""
    stop = threading.Event()
    outcomes = Counter()
    lock = threading.Lock()

    def client():
        session = requests.Session()
        while not stop.is_set():
            try:
                status = session.get(stack.url + "/health", timeout=10).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            with lock:
                outcomes[status] += 1

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        from conftest import wait_until
        wait_until(lambda: sum(outcomes.values()) > 200, what="traffic to flow")
        pids_before = {stack.get("/health").json()["pid"] for _ in range(20)}
        result = stack.ctl("restart", "health")
        assert "health:health_00 restarted" in result.stdout
        assert "health:health_01 restarted" in result.stdout
        served = sum(outcomes.values())
        wait_until(lambda: sum(outcomes.values()) > served + 200, what="traffic after the restart")
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert set(outcomes) == {200}, f"some requests failed: {dict(outcomes)}"
    pids_after = {stack.get("/health").json()["pid"] for _ in range(20)}
    assert not (pids_before & pids_after), "the processes were not replaced"
    # Each replaced process waited for nginx to close the connections it kept
    # (it served their requests meanwhile), rather than closing them itself or
    # being cut off at the end of its grace period.
    stops = [line for line in stack.log_lines("health") if line.get("message", "").startswith("stopp")]
    assert [line["message"] for line in stops] == ["stopping", "stopped"] * 2, stops


def kept_connections(pid):
    """The socket inodes process `pid` holds besides its listening socket (fd 0):
    the connections from nginx it has open."""
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except FileNotFoundError:
            continue  # closed meanwhile
        if fd != "0" and target.startswith("socket:"):
            inodes.add(target)
    return inodes


def test_nginx_keeps_its_connections_to_an_endpoint_open(stack):
    """Requests reach an endpoint over connections nginx keeps open, with no
    connect, accept and close per request: two requests in a row are served on
    the same connection."""
    from conftest import wait_until
    pids = wait_until(lambda: all(pids := list(stack.processes("health").values())) and pids,
                      what="both health processes running")
    reused = None
    previous = set()
    for _ in range(50):
        assert stack.get("/health").status_code == 200
        now = set().union(*(kept_connections(pid) for pid in pids))
        # nginx retires a connection after a second of use, so a pair of
        # requests may straddle that: look for one pair on the same connection.
        if now & previous:
            reused = now & previous
            break
        previous = now
    assert reused, "every request came on a new connection"
