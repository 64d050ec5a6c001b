"""What the OpenAPI tests share: the document, its operations, the operations
of branches not merged yet, and the check that an answer is a JSON error."""
import json
import os

from conftest import ROOT

SPEC_PATH = os.path.join(ROOT, "docs", "openapi.json")
METHODS = ("get", "put", "post", "delete", "patch")

# Documented from their contracts before their code is merged here. While one
# is not served (nginx's catch-all 404 answers it) it cannot be fuzzed; the
# tests check that, and fail once it is served so that it leaves this list.
AWAITING_MERGE = set()

# nginx's answer for a path no location routes (nginx/nginx.conf.template).
UNROUTED = {"error": "not_found", "detail": "no endpoint at this path"}


def spec():
    with open(SPEC_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def operations(document=None):
    """[(METHOD, path template, operation object, path item)] in the document's order."""
    document = document or spec()
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                found.append((method.upper(), path, item[method], item))
    return found


def schemes(document, operation):
    return {name for requirement in operation.get("security", document.get("security", [])) for name in requirement}


def takes_json_body(operation):
    return "application/json" in operation.get("requestBody", {}).get("content", {})


def answers_json(operation):
    return any("application/json" in response.get("content", {}) or "$ref" in response
               for status, response in operation["responses"].items() if status.startswith("2"))


def assert_json_error(response, what):
    """A 4xx whose body is exactly `{error, detail}` as JSON."""
    assert 400 <= response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), f"{what}: Content-Type {content_type!r}: {response.text[:300]}"
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{what}: not JSON: {response.text[:300]}")
    assert isinstance(body, dict) and set(body) == {"error", "detail"}, f"{what}: {body}"
    assert isinstance(body["error"], str) and isinstance(body["detail"], str) and body["detail"], f"{what}: {body}"
    return body
