"""GET /metrics against the real stack: what it counts is checked against what
the test did and against independent records (the Twilio simulator's webhook
log, the AWS emulator's request log), parsed with prometheus_client's parser."""
import collections
import os
import shutil
from urllib.parse import urlparse

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from conftest import ROOT, module_stack, wait_until
from voice_helpers import API_KEY, Voice, local_env

AUTH = {"Authorization": f"Bearer {API_KEY}"}


def exact_routes():
    """{path: endpoint executable} of nginx/routes.txt's exact (`=`) locations:
    where the simulator's webhooks go."""
    table = {}
    for line in open(os.path.join(ROOT, "nginx", "routes.txt")):
        parts = line.split("#", 1)[0].split()
        if len(parts) == 3 and parts[1] == "=":
            table[parts[2]] = parts[0]
    return table


JOB_KINDS = ["create-record", "sync", "finalize", "recording", "analyze", "webhook"]


class Scrape:
    """One exposition, parsed by prometheus_client: sample values by name and labels."""

    def __init__(self, text):
        self.text = text
        self.types = {}
        self.samples = []
        for family in text_string_to_metric_families(text):
            self.types[family.name] = family.type
            self.samples.extend(family.samples)

    def value(self, name, **labels):
        """The sum over every sample of `name` whose labels include `labels` (0 when none)."""
        return sum(s.value for s in self.samples
                   if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))

    def series(self, name):
        return [(s.labels, s.value) for s in self.samples if s.name == name]


def scrape(stack, headers=AUTH):
    response = requests.get(stack.url + "/metrics", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return Scrape(response.text)


def requests_total(metrics, endpoint, method="GET", status="200"):
    return metrics.value("voice_http_requests_total", endpoint=endpoint, method=method, status=str(status))


def metric_dynamodb_operations(metrics):
    counts = collections.Counter()
    for labels, value in metrics.series("voice_aws_requests_total"):
        if labels["service"] == "dynamodb":
            counts[labels["operation"]] += int(value)
    return counts


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    return Voice(module_stack(request, tmp_path_factory, local_env()))


def test_metrics_needs_the_api_key(voice):
    for headers in ({}, {"Authorization": "Bearer wrong-key"}):
        response = requests.get(voice.stack.url + "/metrics", headers=headers, timeout=10)
        assert response.status_code == 401, response.text
        assert response.json()["error"] and response.json()["detail"]
        assert "voice_" not in response.text
    assert requests.post(voice.stack.url + "/metrics", headers=AUTH, timeout=10).status_code == 405


def test_every_family_is_described_and_histograms_are_well_formed(voice):
    before = requests_total(scrape(voice.stack), "health")
    requests.get(voice.stack.url + "/health", timeout=10)
    metrics = wait_until(lambda: (m := scrape(voice.stack)) and requests_total(m, "health") > before and m,
                         what="the request published")
    assert metrics.types["voice_http_requests"] == "counter"
    assert metrics.types["voice_http_request_duration_seconds"] == "histogram"
    assert metrics.types["voice_live_calls"] == "gauge"
    assert metrics.types["voice_outbox_jobs"] == "gauge"
    assert "# HELP voice_http_requests_total " in metrics.text
    for labels, count in metrics.series("voice_http_request_duration_seconds_count"):
        buckets = sorted(((float(b["le"]), value) for b, value in metrics.series("voice_http_request_duration_seconds_bucket")
                          if b["endpoint"] == labels["endpoint"]))
        assert buckets[-1] == (float("inf"), count), "the +Inf bucket is the count"
        assert [value for _, value in buckets] == sorted(value for _, value in buckets), "cumulative"
        assert 15.0 in [bound for bound, _ in buckets], "buckets reach Twilio's 15 s"
    # SessionDB's space: the same figures /health gives, the disk's free space as the OS counts it.
    db = requests.get(voice.stack.url + "/health", timeout=10).json()["sessiondb"]
    assert metrics.types["voice_sessiondb_disk_free_bytes"] == "gauge"
    assert metrics.value("voice_sessiondb_map_size_bytes") == db["map_size_bytes"]
    assert 0 < metrics.value("voice_sessiondb_used_bytes") <= db["map_size_bytes"]
    free = shutil.disk_usage(db["directory"]).free
    assert abs(metrics.value("voice_sessiondb_disk_free_bytes") - free) <= max(256 << 20, free // 20)
    # Processes that published lately, with their start times.
    started = {labels["process"] for labels, _ in metrics.series("voice_process_start_time_seconds")}
    assert {"health", "metrics"} <= started


def head_health(stack):
    """HEAD /health: a request nothing else makes (scripts/start checks the
    stack with GET), so its count is the test's alone."""
    assert requests.head(stack.url + "/health", timeout=10).status_code == 200


def test_requests_are_counted_by_endpoint_method_and_status(voice):
    stack = voice.stack
    before = scrape(stack)
    for _ in range(3):
        head_health(stack)
    for _ in range(2):
        assert stack.get("/agents", headers=AUTH).status_code == 200
    assert stack.get("/agents").status_code == 401
    assert stack.post("/health", data=b"x").status_code == 405

    expected = {("health", "HEAD", 200): 3, ("agents", "GET", 200): 2, ("agents", "GET", 401): 1,
                ("health", "POST", 405): 1}

    seen = {}

    def counted():
        after = scrape(stack)
        seen["deltas"] = {key: requests_total(after, *key) - requests_total(before, *key) for key in expected}
        return after if seen["deltas"] == expected else None
    try:
        after = wait_until(counted, what=f"request counters to rise by {expected}")
    except AssertionError as error:
        raise AssertionError(f"{error}; they rose by {seen['deltas']}") from None
    duration = "voice_http_request_duration_seconds_count"
    assert after.value(duration, endpoint="agents") - before.value(duration, endpoint="agents") == 3
    assert after.value("voice_http_request_duration_seconds_sum", endpoint="agents") > \
        before.value("voice_http_request_duration_seconds_sum", endpoint="agents")


def test_a_call_is_counted_in_webhooks_jobs_and_aws_requests(voice):
    stack = voice.stack
    wait_until(lambda: scrape(stack).value("voice_outbox_jobs") == 0, what="an idle outbox")
    before = scrape(stack)
    aws_before = voice.dynamodb_operations()

    to = "+15550300111"
    sid = voice.live_call("customer-support-001", to, ["Hi, my name is Ada Lovelace"])
    live = wait_until(lambda: (m := scrape(stack)).value("voice_live_calls") == 1 and m, what="one live call")
    assert live.value("voice_live_calls") == 1
    # The record's own creation is counted below: wait for it before the end
    # (a creation still pending at the end would be folded into the finalization).
    wait_until(lambda: voice.call_record(sid), what="the record created after the answer")
    report = voice.hang_up(sid)
    voice.final_record(sid)
    wait_until(lambda: scrape(stack).value("voice_live_calls") == 0, what="no live call")

    # Every webhook the simulator sent is counted under its endpoint, with its status.
    routes = exact_routes()
    webhooks = collections.Counter((routes[urlparse(e["url"]).path], str(e["status"]))
                                   for e in report["events"] if e["type"] == "webhook")
    webhooks[("make-call", "200")] = 1
    assert webhooks[("process-speech", "200")] >= 1 and webhooks[("call-status", "200")] >= 1

    def webhooks_counted():
        after = scrape(stack)
        deltas = {(endpoint, status): requests_total(after, endpoint, "POST", status)
                  - requests_total(before, endpoint, "POST", status) for endpoint, status in webhooks}
        return deltas == dict(webhooks)
    wait_until(webhooks_counted, what=f"webhook counters to rise by {dict(webhooks)}")

    # The worker's jobs for the call: its record, its end, its recording (the S3
    # upload below proves that one was done once).
    seen = {}

    def jobs_done():
        after = scrape(stack)
        seen["jobs"] = done = {(labels["kind"], labels["outcome"]): value - before.value(
            "voice_worker_jobs_total", **labels) for labels, value in after.series("voice_worker_jobs_total")}
        # The recording is announced twice (the final status and Twilio's
        # recording callback): the second job finds it archived, done at once.
        return after if done.get(("create-record", "done")) == 1 and done.get(("finalize", "done")) == 1 \
            and done.get(("recording", "done"), 0) >= 1 else None
    try:
        after = wait_until(jobs_done, what="create-record, finalize and recording done once each")
    except AssertionError as error:
        raise AssertionError(f"{error}; job counts rose by {seen['jobs']}") from None
    assert after.value("voice_worker_jobs_total", outcome="retry") == before.value("voice_worker_jobs_total", outcome="retry")
    assert after.value("voice_worker_job_duration_seconds_count", kind="finalize") \
        - before.value("voice_worker_job_duration_seconds_count", kind="finalize") == 1

    # DynamoDB: exactly the operations the emulator saw from the stack, all ok.
    def aws_matches():
        after = scrape(stack)
        ours = metric_dynamodb_operations(after) - metric_dynamodb_operations(before)
        seen = voice.dynamodb_operations() - aws_before
        return (after, ours) if ours == seen and ours else None
    after, operations = wait_until(aws_matches, what="DynamoDB counters to match the emulator's log")
    assert operations["Query"] >= 1, operations  # make-call's past calls
    assert operations["PutItem"] == 1, operations  # the record
    assert operations["UpdateItem"] >= 2, operations  # the final record and its recording
    assert after.value("voice_aws_requests_total", service="dynamodb", outcome="ok") \
        - before.value("voice_aws_requests_total", service="dynamodb", outcome="ok") == sum(operations.values())
    assert after.value("voice_aws_requests_total", service="s3", operation="PutObject", outcome="ok") \
        - before.value("voice_aws_requests_total", service="s3", operation="PutObject", outcome="ok") == 1


def test_outbox_gauges_show_jobs_waiting_for_a_stopped_worker(voice):
    stack = voice.stack
    stack.ctl("stop", "worker:*")
    try:
        sid = voice.live_call("customer-support-001", "+15550300222", ["Hi, my name is Grace Hopper"])
        metrics = wait_until(lambda: (m := scrape(stack)).value("voice_outbox_jobs", kind="create-record") == 1 and m,
                             what="the call's record waiting in the outbox")
        assert metrics.value("voice_outbox_oldest_job_age_seconds", kind="create-record") >= 0
        assert {labels["kind"] for labels, _ in metrics.series("voice_outbox_jobs")} >= set(JOB_KINDS)
        voice.hang_up(sid)
        # The final status makes the pending record write moot; the finalization
        # and the recording's archiving wait.
        waiting = {"create-record": 0, "sync": 0, "finalize": 1, "recording": 1}
        metrics = wait_until(lambda: (m := scrape(stack)) and all(
            m.value("voice_outbox_jobs", kind=k) == n for k, n in waiting.items()) and m,
            what=f"outbox gauges {waiting}")
        assert metrics.value("voice_outbox_oldest_job_age_seconds", kind="finalize") >= 0
        assert metrics.value("voice_outbox_jobs") == 2
    finally:
        stack.ctl("start", "worker:*")
    voice.final_record(sid)
    wait_until(lambda: scrape(stack).value("voice_outbox_jobs") == 0, what="the outbox to drain")
    assert scrape(stack).value("voice_outbox_oldest_job_age_seconds") == 0


def test_a_restarted_endpoint_keeps_its_counts(voice):
    stack = voice.stack
    before = requests_total(scrape(stack), "health", "HEAD")
    old_pids = set(stack.pids("health"))
    for _ in range(5):
        head_health(stack)
    published = requests_total(scrape(stack), "health", "HEAD")
    # At once, before the next publication is due: a stopping process
    # publishes what it counted since its last write.
    stack.ctl("restart", "health:*")
    new_pids = set(stack.pids("health"))
    assert not new_pids & old_pids
    # What the stopped processes counted stays in the sum: nothing went backwards.
    after_restart = requests_total(scrape(stack), "health", "HEAD")
    assert after_restart >= published
    assert after_restart == before + 5
    for _ in range(2):
        head_health(stack)
    wait_until(lambda: requests_total(scrape(stack), "health", "HEAD") == before + 7, what="2 more after the restart")
    # Each new process publishes under its own key, beside the old ones.
    wait_until(lambda: new_pids <= {int(labels["pid"]) for labels, _ in
                                     scrape(stack).series("voice_process_start_time_seconds")
                                     if labels["process"] == "health"},
               what="the new processes' start times")


def test_metrics_can_be_public_need_no_aws_and_a_stopping_process_publishes(make_stack):
    # No AWS at all in this stack: a scrape reads SessionDB only. Processes
    # publish only when they stop (the interval is an hour).
    stack = make_stack({"API_KEY": API_KEY, "METRICS_PUBLIC": "true", "METRICS_PUBLISH_INTERVAL_SECONDS": "3600"})
    for _ in range(4):
        head_health(stack)
    metrics = scrape(stack, headers={})
    assert requests_total(metrics, "health", "HEAD") == 0, "nothing published before the interval"
    assert metrics.value("voice_live_calls") == 0

    stack.ctl("restart", "health:*")
    assert requests_total(scrape(stack, headers={}), "health", "HEAD") == 4
