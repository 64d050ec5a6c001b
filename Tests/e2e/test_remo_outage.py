"""Remo while DynamoDB is down: a clear 503 `{error, detail}`, nothing half
written, and service as soon as it is back."""
import requests

from conftest import wait_until
from remo_helpers import Keys, assert_error, new_user, remo_env


def test_dynamodb_outage_is_a_clean_503_and_recovers(make_stack):
    keys = Keys()
    stack = make_stack(remo_env(keys))
    user = new_user("outage")
    headers = {"Authorization": f"Bearer {keys.token(user)}"}

    def chat(message):
        return requests.post(stack.url + "/chat", json={"message": message, "user_id": user}, headers=headers,
                             timeout=30)

    assert chat("add todo before the outage").status_code == 200

    stack.ctl("stop", "local-aws")
    for response in [chat("add todo during the outage"),
                     requests.get(f"{stack.url}/user/{user}/data", headers=headers, timeout=30),
                     requests.post(f"{stack.url}/user/{user}/reminders", headers=headers, timeout=30,
                                   json={"title": "x", "when": "tonight"})]:
        body = assert_error(response, {503})
        assert "try again" in body["detail"]
    # Authentication does not need DynamoDB: a bad token is still 401, not 503.
    assert_error(requests.get(f"{stack.url}/user/{user}/data", timeout=30,
                              headers={"Authorization": "Bearer forged"}), {401})

    # The emulator restarts empty: recreate the tables as a new account would, then it serves again.
    stack.ctl("start", "local-aws")
    aws = f"http://127.0.0.1:{stack.env['LOCAL_AWS_PORT']}"

    def emulator_up():
        try:
            return requests.get(aws + "/moto-api/", timeout=2).status_code < 500
        except requests.ConnectionError:
            return False

    wait_until(emulator_up, timeout=60, what="the emulator to come back")
    stack.voicectl("tables", "create")
    response = chat("add todo after the outage")
    assert response.status_code == 200, response.text
    assert response.json()["actions"][0]["title"] == "after the outage"
