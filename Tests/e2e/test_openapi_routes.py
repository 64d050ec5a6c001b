"""docs/openapi.json against nginx/routes.txt (no stack needed): every path nginx
routes to an endpoint is documented, and every documented path is routed.
The Swift test Tests/OpenAPITests compares the document with the Routers."""
import os
import re

from openapi_spec_validator import validate

from conftest import ROOT
from openapi_helpers import AWAITING_MERGE, operations, spec

# Routed, but not described: Twilio's webhooks are Twilio's contract (signed,
# form-encoded, answered with TwiML), not a JSON API of ours.
TWILIO_WEBHOOKS = {"voice-outbound", "voice-inbound", "process-speech", "call-status", "recording-status"}


def locations():
    """(endpoint, modifier, path or pattern) of every line of nginx/routes.txt."""
    table = []
    with open(os.path.join(ROOT, "nginx", "routes.txt"), encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                endpoint, modifier, pattern = line.split(None, 2)
                table.append((endpoint, modifier, pattern))
    return table


def nginx_own_paths():
    """Exact locations nginx answers itself (nginx.conf.template), e.g. /ping."""
    with open(os.path.join(ROOT, "nginx", "nginx.conf.template"), encoding="utf-8") as handle:
        return set(re.findall(r"location = (/[a-z.]+) \{", handle.read()))


def serves(modifier, pattern, template):
    """Whether an nginx location sends requests for `template` (its parameters filled) to its endpoint."""
    concrete = re.sub(r"\{[a-z_]+\}", "x1", template)
    if modifier == "=":
        return concrete == pattern
    if modifier == "^~":
        return concrete.startswith(pattern)
    if modifier == "~":
        return re.search(pattern, concrete) is not None
    raise AssertionError(f"unknown location modifier {modifier}")


def test_the_document_is_valid_openapi_3_1():
    document = spec()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_routed_path_is_documented():
    paths = set(spec()["paths"])
    missing = [f"{endpoint} {modifier} {pattern}" for endpoint, modifier, pattern in locations()
               if endpoint not in TWILIO_WEBHOOKS and not any(serves(modifier, pattern, path) for path in paths)]
    assert missing == [], f"nginx/routes.txt routes paths docs/openapi.json does not describe: {missing}"


def test_every_documented_path_is_routed():
    routes = locations()
    own = nginx_own_paths()
    awaiting = {name.split(" ", 1)[1] for name in AWAITING_MERGE}
    unrouted = sorted(path for path in spec()["paths"]
                      if path not in own and not any(serves(m, p, path) for _, m, p in routes))
    # Only the paths of branches not merged yet may lack a route.
    assert set(unrouted) <= awaiting, f"documented but routed nowhere: {sorted(set(unrouted) - awaiting)}"


def test_the_excluded_webhooks_are_routes_and_not_documented():
    endpoints = {endpoint for endpoint, _, _ in locations()}
    assert TWILIO_WEBHOOKS <= endpoints
    documented = spec()["paths"]
    for endpoint, modifier, pattern in locations():
        if endpoint in TWILIO_WEBHOOKS:
            assert not any(serves(modifier, pattern, path) for path in documented), (endpoint, pattern)


def test_every_operation_names_its_errors_and_its_credentials():
    document = spec()
    for method, path, operation, _ in operations(document):
        security = operation.get("security", document.get("security", []))
        if security:
            assert "401" in operation["responses"], f"{method} {path}"
        for status, response in operation["responses"].items():
            if status[0] in "45":
                target = response.get("$ref", "").rsplit("/", 1)[-1]
                response = document["components"]["responses"].get(target, response)
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, f"{method} {path} {status}"
