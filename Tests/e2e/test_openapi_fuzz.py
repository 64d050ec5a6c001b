"""The API against its OpenAPI document on a live stack (local AWS and Twilio,
Privy configured): schemathesis generates requests for every documented
operation, valid and invalid, with the API key or a Privy token, and every
answer must be no server error, have a documented status and content type, and
match its schema. Then what a schema cannot describe: bytes in paths, bodies of
the wrong type, too big or too deep, empty; each a JSON `{error, detail}` 4xx
that changes nothing in DynamoDB; and nginx's own errors as JSON."""
import concurrent.futures
import json
import os
import re
import socket
import time

import boto3
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from conftest import module_stack
from openapi_helpers import (AWAITING_MERGE, UNROUTED, answers_json, assert_json_error, operations, schemes, spec,
                             takes_json_body)
from remo_helpers import Keys, new_user, remo_env
from voice_helpers import API_KEY, local_env

# Per operation and per mode (valid, invalid input): the run stays well under
# three minutes on two cores, and is the same on every run.
EXAMPLES = 25
MAX_BODY_BYTES = 1048576  # .env.example's default, which the stack uses

CHECKS = ("not_a_server_error", "response_schema_conformance", "status_code_conformance",
          "content_type_conformance")

KEYS = Keys()
USER = new_user("fuzz")


@pytest.fixture(scope="module")
def stack(request, tmp_path_factory):
    return module_stack(request, tmp_path_factory, dict(remo_env(KEYS), **local_env()))


@pytest.fixture(scope="module")
def ddb(stack):
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    return session.client("dynamodb", endpoint_url=f"http://127.0.0.1:{stack.env['LOCAL_AWS_PORT']}")


def credentials(document, operation):
    names = schemes(document, operation)
    if "apiKey" in names:
        return {"Authorization": f"Bearer {API_KEY}"}
    if "privyToken" in names:
        return {"Authorization": f"Bearer {KEYS.token(USER, exp_in=3600)}"}
    return {}


def unrouted(stack, method, path):
    """Whether no endpoint serves this operation (its branch not merged): nginx's
    catch-all 404 answers it."""
    concrete = path.replace("{call_sid}", "CA" + "0" * 32)
    response = requests.request(method, stack.url + concrete, headers={"Authorization": f"Bearer {API_KEY}"},
                                timeout=10, allow_redirects=False)
    return response.status_code == 404 and response.headers.get("Content-Type", "").startswith("application/json") \
        and response.json() == UNROUTED


def fuzzed_operations(stack):
    """Every documented operation, less those awaiting their merge while they are
    unrouted (checked, not assumed): nothing is left out silently."""
    chosen = []
    for method, path, _, _ in operations():
        name = f"{method} {path}"
        if name in AWAITING_MERGE:
            if unrouted(stack, method, path):
                print(f"not fuzzed, not merged here yet: {name}")
                continue
            pytest.fail(f"{name} is served now: remove it from AWAITING_MERGE in openapi_helpers.py")
        chosen.append(name)
    return chosen


def aimed_at_the_user(case):
    """Two generated cases in three address the token's own user, so the fuzzing
    reaches the handlers behind the ownership check; the third keeps what was
    generated (403, 400) as it is."""
    if "user_id" in case.path_parameters and len(str(case.path_parameters["user_id"])) % 3 != 0:
        case.path_parameters["user_id"] = USER
    if case.path == "/chat" and isinstance(case.body, dict) and len(case.body) % 3 != 0:
        case.body["user_id"] = USER


def test_the_document_is_served_at_openapi_json_without_credentials(stack):
    response = requests.get(stack.url + "/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == spec()


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(stack):
    document = spec()
    # The file, not the URL: schemathesis leaves out the operation that serves the schema it loaded.
    schema = schemathesis.openapi.from_dict(document)
    checks = [getattr(schemathesis.checks, name) for name in CHECKS]
    wanted = set(fuzzed_operations(stack))
    failures, counts = [], {}
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        name = f"{operation.method.upper()} {operation.path}"
        if name not in wanted:
            continue
        headers = credentials(document, operation.definition.raw)
        counts[name] = 0
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def run(case):
                aimed_at_the_user(case)
                # Credentials are the test's, not generated (a generated one is refused 401, which is documented).
                response = case.call(base_url=stack.url, headers=headers, timeout=15)
                counts[name] += 1
                case.validate_response(response, checks=checks, headers=headers)

            try:
                run()
            except hypothesis.errors.Unsatisfiable:
                # Nothing of the request is described (no parameters, no body): no invalid input exists.
                assert mode == schemathesis.GenerationMode.NEGATIVE, name
                print(f"no invalid input to generate: {name}")
            except (Exception, BaseExceptionGroup) as failure:  # the first of each operation and mode; the run goes on
                failures.append(f"{name} [{mode.value}]: {str(failure)[:1500]}")
    elapsed = time.monotonic() - started
    print(f"schemathesis: {sum(counts.values())} requests over {len(counts)} operations in {elapsed:.1f} s")
    assert set(counts) == wanted, f"operations schemathesis did not reach: {sorted(wanted - set(counts))}"
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:40])


# -- what a schema cannot describe ---------------------------------------------------

PATH_SEGMENTS = {
    "a NUL": "%00", "invalid UTF-8": "%ff", "an overlong UTF-8 dot": "%c0%ae", "a broken UTF-8 pair": "%c3%28",
    "dot dot": "..", "encoded dot dot": "%2e%2e", "an encoded slash": "a%2Fb", "a very long segment": "a" * 6000,
    "spaces and quotes": "%20%22%27%3C", "a control character": "%1b",
}


def everything(ddb):
    """Every item of every table, to prove a refused request changed nothing."""
    state = {}
    for table in ddb.list_tables()["TableNames"]:
        items, start = [], None
        while True:
            page = ddb.scan(TableName=table, ConsistentRead=True, **({"ExclusiveStartKey": start} if start else {}))
            items += page["Items"]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        state[table] = sorted(json.dumps(item, sort_keys=True) for item in items)
    return state


def raw(stack, method, path, headers, body=None, timeout=15):
    return requests.request(method, stack.url + path, headers=headers, data=body, timeout=timeout)


def concrete_path(path, value):
    """The path with every parameter `value`, and the token's user in {user_id}
    (so the request passes the ownership check) unless user_id is the one fuzzed."""
    return path.replace("{user_id}", USER).replace("{agent_id}", value).replace("{call_sid}", value) \
        .replace("{number}", value).replace("{reminder_id}", value).replace("{todo_id}", value)


def json_operations(stack):
    document = spec()
    served = set(fuzzed_operations(stack))
    return [(method, path, operation, credentials(document, operation)) for method, path, operation, _ in operations(document)
            if f"{method} {path}" in served and answers_json(operation)]


def test_bytes_in_paths_are_json_4xx_for_every_endpoint(stack, ddb):
    before = everything(ddb)
    for method, path, _, headers in json_operations(stack):
        for label, segment in PATH_SEGMENTS.items():
            targets = []
            if "{user_id}" in path:
                targets.append(concrete_path(path.replace("{user_id}", segment), "x"))
            if set(re.findall(r"\{([a-z_]+)\}", path)) - {"user_id"}:
                targets.append(concrete_path(path, segment))
            else:
                targets += [concrete_path(path, "x") + "/" + segment, concrete_path(path, "x") + segment]
            for target in targets:
                body = b"{}" if method in ("POST", "PUT", "PATCH") else None
                sent = dict(headers, **({"Content-Type": "application/json"} if body else {}))
                assert_json_error(raw(stack, method, target, sent, body), f"{method} {target[:120]} ({label})")
    assert everything(ddb) == before


def bad_bodies():
    deep_array = b"[" * 10_000 + b"]" * 10_000
    deep_object = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
    return {
        "empty, as JSON": ("application/json", b""),
        "empty, without a type": (None, b""),
        "not JSON": ("application/json", b"{not json"),
        "invalid UTF-8": ("application/json", b'{"title": "\xff\xfe"}'),
        "a NUL in a string": ("application/json", b'{"title": "a\\u0000b", "message": "a\\u0000b"}'),
        "a lone surrogate": ("application/json", b'{"title": "\\ud800", "message": "\\ud800"}'),
        "an infinite number": ("application/json", b'{"title": 1e400, "agent_id": 1e400, "x": 1e400}'),
        "a number where text goes": ("application/json", b'{"title": 5, "message": 5, "agent_id": 5}'),
        "a top-level array": ("application/json", b"[1, 2, 3]"),
        "a top-level string": ("application/json", b'"hello"'),
        "null": ("application/json", b"null"),
        "10,000 nested arrays": ("application/json", deep_array),
        "10,000 nested objects": ("application/json", deep_object),
        "deep nesting inside a field": ("application/json", b'{"preferences": ' + deep_object + b', "data_to_fill": '
                                        + deep_object + b"}"),
        "form-encoded": ("application/x-www-form-urlencoded", b"title=x&message=hi"),
        "plain text": ("text/plain", b'{"title": "x"}'),
        "XML": ("application/xml", b"<title>x</title>"),
        "multipart": ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--x--\r\n'),
    }


# Well-formed JSON objects whose values are wrong for every endpoint but one:
# preferences keep any JSON value as given, so for them these are good input.
VALID_PREFERENCES = {"a NUL in a string", "a lone surrogate", "a number where text goes"}


def test_bad_bodies_are_json_4xx_for_every_endpoint_and_change_nothing(stack, ddb):
    before = everything(ddb)
    for method, path, operation, headers in json_operations(stack):
        if method not in ("POST", "PUT", "PATCH"):
            continue
        target = concrete_path(path, "x1")
        for label, (content_type, body) in bad_bodies().items():
            if path.endswith("/preferences") and label in VALID_PREFERENCES:
                continue
            sent = dict(headers, **({"Content-Type": content_type} if content_type else {}))
            assert_json_error(raw(stack, method, target, sent, body), f"{method} {path} ({label})")
    assert everything(ddb) == before


def test_a_body_over_the_limit_is_nginx_json_413_everywhere(stack):
    """nginx refuses by Content-Length before reading a byte of the body."""
    def refused(operation):
        method, path, _, headers = operation
        verb = method if method in ("POST", "PUT", "PATCH") else "POST"
        lines = [f"{verb} {concrete_path(path, 'x1')} HTTP/1.1", "Host: localhost", "Connection: close",
                 "Content-Type: application/json", f"Content-Length: {MAX_BODY_BYTES + 1}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return verb, path, *raw_exchange(stack, ("\r\n".join(lines) + "\r\n\r\n").encode(), half_close=True)

    # nginx closes each refused connection after a short linger: ask all at once.
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(refused, json_operations(stack)))
    for verb, path, head, body in answers:
        assert head.startswith("HTTP/1.1 413 "), (verb, path, head)
        assert "Content-Type: application/json" in head, (verb, path, head)
        assert json.loads(body)["error"] == "payload_too_large", body


# -- nginx's own errors ----------------------------------------------------------------

def raw_exchange(stack, data, half_close=False):
    with socket.create_connection(("127.0.0.1", stack.port), timeout=10) as connection:
        connection.sendall(data)
        if half_close:
            # Nothing more comes: else nginx lingers for a body it has already refused.
            connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.decode("latin-1"), body


def test_nginx_answers_its_own_errors_as_json(stack):
    key = {"Authorization": f"Bearer {API_KEY}"}
    cases = [
        ("GET", "/session/CA%00", key, None, 400),            # NUL: refused while reading the request line
        ("GET", "/user/a%00b/data", {}, None, 400),
        ("GET", "/%2e%2e/%2e%2e/etc/passwd", {}, None, 400),  # above the root
        ("GET", "/agents?x=" + "a" * 9000, key, None, 414),   # request line over the buffers
        ("GET", "/health", {"X-Big": "a" * 9000}, None, 400),  # a header over the buffers (494)
        ("POST", "/openapi.json", {}, None, 405),               # nginx's static file takes GET only
        ("DELETE", "/openapi.json", {}, None, 405),
        ("GET", "/no/such/endpoint", {}, None, 404),
        ("GET", "/session", key, None, 404),                  # not nginx's 301 with HTML to /session/
    ]
    for method, path, headers, body, status in cases:
        response = raw(stack, method, path, headers, body)
        assert response.status_code == status, (method, path[:60], response.status_code, response.text[:200])
        assert_json_error(response, f"{method} {path[:60]}")
    # Not HTTP at all, and a request line with raw invalid bytes.
    for data in (b"NOT HTTP AT ALL\r\n\r\n", b"GET /agents/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                 b"GET /user/\x00/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"):
        head, body = raw_exchange(stack, data)
        assert head.split(" ", 2)[1][0] == "4", (data, head)
        assert "Content-Type: application/json" in head, (data, head)
        assert set(json.loads(body)) == {"error", "detail"}, body


def test_every_status_nginx_can_give_is_routed_to_a_json_location(stack):
    """500, 502, 503 and 504 cannot all be caused on demand (504 and 502 are
    exercised in test_call_outcomes.py); the rendered config shows each goes to
    a location that answers JSON with the right status."""
    with open(os.path.join(stack.var_dir, "conf", "nginx.conf"), encoding="utf-8") as handle:
        config = handle.read()
    pages = {}
    for line in config.splitlines():
        words = line.strip().rstrip(";").split()
        if words[:1] == ["error_page"]:
            for code in words[1:-1]:
                if code.isdigit():
                    pages[int(code)] = words[-1]
    for status in (400, 404, 405, 408, 413, 414, 494, 500, 502, 503, 504):
        target = pages.get(status)
        assert target, f"no error_page for {status}"
        marker = f"location {target} {{" if target.startswith("@") else f"location = {target} {{"
        block = config.split(marker, 1)[1].split("\n        }", 1)[0]
        found = re.search(r"return (\d{3}) '(.*)';", block)
        assert found, (status, block)
        code, body = found.group(1), json.loads(found.group(2))
        assert set(body) == {"error", "detail"}, (status, body)
        assert 400 <= int(code) < 600
