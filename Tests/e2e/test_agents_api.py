"""The operator's agents API through nginx: create, read, list with cursors,
change, archive; validation that names the field and writes nothing; and a
change that reaches the next call at once (the shared agent cache). DynamoDB is
read with boto3."""
import pytest
import requests

from conftest import module_stack
from voice_helpers import API_KEY, Voice, local_env


def agent_body(agent_id, **changes):
    body = {
        "agent_id": agent_id,
        "name": "Dental Reminders",
        "prompt": "You are Sam, confirming dental appointments.",
        "few_shot": [{"user": "Is it tomorrow?", "assistant": "Yes, tomorrow at 10am."}],
        "voice": "Polly.Matthew",
        "language": "en-US",
        "greeting": "Hi, this is Sam from the dental office.",
        "data_to_fill": {
            "name": {"required": True, "prompt": "May I have your name?", "example": "Jane Doe"},
            "confirmed": {"required": True, "prompt": "Can you make it?", "validation_pattern": "^(yes|no)$"},
        },
    }
    body.update(changes)
    return body


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    return Voice(module_stack(request, tmp_path_factory, local_env()))


class API:
    def __init__(self, voice, key=API_KEY):
        self.url = voice.stack.url
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def send(self, method, path, body=None, **params):
        return requests.request(method, self.url + path, json=body, params=params, headers=self.headers, timeout=15)


def stored(voice, agent_id):
    return voice.ddb.Table("VoiceAssistant_Agents").get_item(Key={"agent_id": agent_id}, ConsistentRead=True).get("Item")


def test_an_agent_is_created_once_read_back_and_stored_with_the_original_names(voice):
    api = API(voice)
    created = api.send("POST", "/agents", agent_body("dental-001"))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "active" and body["created_at"] == body["updated_at"]
    item = stored(voice, "dental-001")
    assert item["name"] == "Dental Reminders" and item["voice"] == "Polly.Matthew" and item["status"] == "active"
    assert item["few_shot"] == [{"user": "Is it tomorrow?", "assistant": "Yes, tomorrow at 10am."}]
    assert item["data_to_fill"]["confirmed"]["validation_pattern"] == "^(yes|no)$"
    assert api.send("GET", "/agents/dental-001").json() == body
    again = api.send("POST", "/agents", agent_body("dental-001", name="Other"))
    assert again.status_code == 409 and again.json()["error"] == "conflict"
    assert stored(voice, "dental-001")["name"] == "Dental Reminders"
    assert api.send("GET", "/agents/nobody-here").status_code == 404


@pytest.mark.parametrize("changes, field", [
    ({"agent_id": "bad id!"}, "agent_id"),
    ({"language": "english"}, "language"),
    ({"voice": ""}, "voice"),
    ({"prompt": "x" * 20001}, "prompt"),
    ({"few_shot": [{"user": "only a question"}]}, "few_shot"),
    ({"few_shot": "not a list"}, "few_shot"),
    ({"data_to_fill": {"email": {"prompt": "Email?", "validation_pattern": "(["}}}, "data_to_fill.email.validation_pattern"),
    ({"data_to_fill": {"Bad Name": {"prompt": "?"}}}, "data_to_fill.Bad Name"),
    ({"status": "retired"}, "status"),
    ({"engine": "gpt"}, "engine"),
])
def test_an_invalid_agent_is_refused_naming_the_field_and_nothing_is_written(voice, changes, field):
    body = dict(agent_body("invalid-001"), **changes)
    response = API(voice).send("POST", "/agents", body)
    assert response.status_code in (400, 422), response.text
    detail = response.json()["detail"]
    # Named first by the agent's rules ("language: …"), or quoted by the shared
    # JSON body errors ("field 'few_shot' must be an array", "missing field 'few_shot[0].assistant'").
    assert detail.startswith(field) or f"'{field}" in detail, detail
    assert stored(voice, body["agent_id"]) is None


def test_bad_requests_and_no_key(voice):
    assert API(voice, key=None).send("GET", "/agents").status_code == 401
    assert API(voice, key="wrong").send("POST", "/agents", agent_body("nokey-001")).status_code == 401
    assert stored(voice, "nokey-001") is None
    not_json = requests.post(voice.stack.url + "/agents", data="{", timeout=10,
                             headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"})
    assert not_json.status_code == 400
    wrong_method = API(voice).send("PUT", "/agents/dental-001", agent_body("dental-001"))
    assert wrong_method.status_code == 405 and "PATCH" in wrong_method.headers["Allow"]
    assert API(voice).send("GET", "/agents", status="retired").status_code == 400
    assert API(voice).send("GET", "/agents", limit="0").status_code == 400


def test_listing_is_newest_first_and_pages_with_cursors_that_cannot_be_forged(voice):
    api = API(voice)
    for index in range(3):
        assert api.send("POST", "/agents", agent_body(f"list-{index}", status="inactive")).status_code == 201
    seen, cursor = [], None
    while True:
        params = {"status": "inactive", "limit": "2"}
        if cursor:
            params["cursor"] = cursor
        page = api.send("GET", "/agents", **params).json()
        seen += [agent["agent_id"] for agent in page["agents"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["list-2", "list-1", "list-0"]
    first = api.send("GET", "/agents", status="inactive", limit="1").json()["next_cursor"]
    forged = first[:-3] + ("AAA" if not first.endswith("AAA") else "BBB")
    response = api.send("GET", "/agents", status="inactive", cursor=forged)
    assert response.status_code == 400 and response.json()["error"] == "bad_request"
    assert all(agent["status"] == "active" for agent in api.send("GET", "/agents").json()["agents"])


def test_a_change_is_partial_stamped_and_reaches_the_next_call_at_once(voice):
    api = API(voice)
    assert api.send("POST", "/agents", agent_body("change-001")).status_code == 201
    before = stored(voice, "change-001")
    # The agent is in the shared cache now; a change must replace it there.
    sid = voice.live_call("change-001", "+15550100501")
    voice.hang_up(sid)
    patched = api.send("PATCH", "/agents/change-001",
                       {"greeting": "Hello from the new greeting.", "data_to_fill": {"confirmed": None}})
    assert patched.status_code == 200, patched.text
    after = stored(voice, "change-001")
    assert after["greeting"] == "Hello from the new greeting."
    assert set(after["data_to_fill"]) == {"name"} and after["prompt"] == before["prompt"]
    assert after["created_at"] == before["created_at"] and after["updated_at"] > before["updated_at"]
    assert api.send("PATCH", "/agents/change-001", {"agent_id": "other"}).status_code == 422
    assert api.send("PATCH", "/agents/change-001", {"language": "xx"}).status_code == 422
    assert stored(voice, "change-001") == after

    sid = voice.live_call("change-001", "+15550100502")
    assert voice.session(sid)["transcript"][0]["content"].startswith("Hello from the new greeting.")
    voice.hang_up(sid)


def test_an_archived_agent_takes_no_calls(voice):
    api = API(voice)
    assert api.send("POST", "/agents", agent_body("archive-001")).status_code == 201
    archived = api.send("DELETE", "/agents/archive-001")
    assert archived.status_code == 200 and archived.json()["status"] == "archived"
    assert stored(voice, "archive-001")["status"] == "archived"
    refused = voice.make_call("archive-001", "+15550100503")
    assert refused.status_code == 409, refused.text
    assert "archive-001" in [a["agent_id"] for a in api.send("GET", "/agents", status="archived").json()["agents"]]


def inbound_agent(voice, to):
    sid = voice.inbound("+15550100600", to, [], interactive=True)
    voice.wait_for_agent(sid)
    agent = voice.session(sid)["agent"]["agent_id"]
    voice.hang_up(sid)
    return agent


def test_numbers_are_assigned_listed_and_removed_and_inbound_calls_follow_at_once(voice):
    api = API(voice)
    number = "+15550100777"
    quoted = "/phone-numbers/%2B15550100777"
    assert api.send("POST", "/agents", agent_body("inbound-001")).status_code == 201
    assert api.send("POST", "/agents", agent_body("inbound-002")).status_code == 201
    assert inbound_agent(voice, number) == "default"  # cached as "not assigned" by now

    created = api.send("PUT", quoted, {"assigned_agent_id": "inbound-001", "friendly_name": "Front desk"})
    assert created.status_code == 201, created.text
    item = voice.ddb.Table("VoiceAssistant_PhoneNumbers").get_item(Key={"phone_number": number})["Item"]
    assert item["assigned_agent_id"] == "inbound-001" and item["friendly_name"] == "Front desk"
    assert inbound_agent(voice, number) == "inbound-001"

    moved = api.send("PUT", quoted, {"assigned_agent_id": "inbound-002"})
    assert moved.status_code == 200 and moved.json()["created_at"] == created.json()["created_at"]
    assert inbound_agent(voice, number) == "inbound-002"
    listed = api.send("GET", "/phone-numbers").json()
    assert {"phone_number": number, "assigned_agent_id": "inbound-002"}.items() <= \
        next(n for n in listed["phone_numbers"] if n["phone_number"] == number).items()

    assert api.send("DELETE", quoted).status_code == 204
    assert voice.ddb.Table("VoiceAssistant_PhoneNumbers").get_item(Key={"phone_number": number}).get("Item") is None
    assert inbound_agent(voice, number) == "default"
    assert api.send("DELETE", quoted).status_code == 404


@pytest.mark.parametrize("path, body, status", [
    ("/phone-numbers/5550100", {"assigned_agent_id": "dental-001"}, 400),
    ("/phone-numbers/%2B15550100778", {}, 400),
    ("/phone-numbers/%2B15550100778", {"assigned_agent_id": "nobody"}, 422),
    ("/phone-numbers/%2B15550100778", {"assigned_agent_id": "dental-001", "friendly_name": 7}, 422),
])
def test_a_bad_assignment_is_refused_and_writes_nothing(voice, path, body, status):
    API(voice).send("POST", "/agents", agent_body("dental-001"))
    response = API(voice).send("PUT", path, body)
    assert response.status_code == status, response.text
    assert voice.ddb.Table("VoiceAssistant_PhoneNumbers").get_item(Key={"phone_number": "+15550100778"}).get("Item") is None
    assert API(voice, key=None).send("GET", "/phone-numbers").status_code == 401


def test_voicectl_agents_reads_the_original_json_files_and_keeps_the_api_rules(voice, tmp_path):
    original = tmp_path / "agent_config_example.json"
    # The original's format, as its manage_agents.py reads it.
    original.write_text("""{
        "agent_id": "cli-agent-001",
        "name": "CLI Agent",
        "prompt": "You are a helpful assistant.",
        "few_shot": [{"user": "Hello", "assistant": "Hi! How can I help?"}],
        "voice": "Polly.Joanna",
        "language": "en-US",
        "greeting": "Hello from the CLI agent.",
        "data_to_fill": {
            "name": {"required": true, "prompt": "What is your name?"},
            "email": {"required": false, "prompt": "Your email?", "validation_pattern": "^[^@]+@[^@]+$"}
        }
    }""")
    stack = voice.stack
    assert "created cli-agent-001" in stack.voicectl("agents", "create", str(original)).stdout
    item = stored(voice, "cli-agent-001")
    assert item["status"] == "active" and set(item["data_to_fill"]) == {"name", "email"}
    assert "cli-agent-001" in stack.voicectl("agents", "list").stdout
    assert '"greeting" : "Hello from the CLI agent."' in stack.voicectl("agents", "get", "cli-agent-001").stdout

    again = stack.voicectl("agents", "create", str(original), check=False)
    assert again.returncode != 0 and "exists" in again.stderr

    patch = tmp_path / "patch.json"
    patch.write_text('{"greeting": "Changed by the CLI.", "language": "english"}')
    refused = stack.voicectl("agents", "update", "cli-agent-001", str(patch), check=False)
    assert refused.returncode != 0 and "language" in refused.stderr
    assert stored(voice, "cli-agent-001")["greeting"] == "Hello from the CLI agent."
    patch.write_text('{"greeting": "Changed by the CLI."}')
    stack.voicectl("agents", "update", "cli-agent-001", str(patch))
    assert stored(voice, "cli-agent-001")["greeting"] == "Changed by the CLI."

    stack.voicectl("agents", "deactivate", "cli-agent-001")
    assert stored(voice, "cli-agent-001")["status"] == "inactive"
    assert voice.make_call("cli-agent-001", "+15550100504").status_code == 409
