"""Remo with an LLM (the stand-in, tools/llmsim) choosing its tools: what it
creates is what the rules create for the same words, times are resolved by our
parser, the rules answer whenever the model fails, and no user's data reaches
another user's prompt. The chat clock is pinned (Wednesday 18 November 2026,
11:00 in Asia/Kolkata)."""
import json

import pytest

from llm_helpers import LLMStandIn
from remo_helpers import RemoStack, new_user

REMINDER = "remind me tomorrow at 10am to call Sam about the contract"
TODO = "add a high priority todo: finish the quarterly report"


def tool(name, **arguments):
    return {"tool": name, "arguments": arguments}


@pytest.fixture(scope="module")
def llm():
    with LLMStandIn() as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def remo(llm):
    stack = RemoStack(**llm.openai_env())
    yield stack
    stack.close()


def comparable(items, *fields):
    return sorted(tuple(item.get(field) for field in fields) for item in items.values())


def test_the_models_tools_create_what_the_rules_create(llm, remo):
    by_model, by_rules = new_user("model"), new_user("rules")
    # One answer each: the first user's message gets the model's tool call; the
    # second user's identical message finds no rule, gets a reply that is no tool
    # call, and is understood by the rules instead.
    llm.script([
        {"match": "call Sam", "times": 1,
         "json": tool("set_reminder", title="call Sam about the contract", when="tomorrow at 10am")},
        {"match": "quarterly report", "times": 1,
         "json": tool("add_todo", title="finish the quarterly report", priority="high")},
    ])
    for user in (by_model, by_rules):
        for message, intent in ((REMINDER, "set_reminder"), (TODO, "add_todo")):
            response = remo.chat(user, message)
            assert response.status_code == 200, response.text
            assert response.json()["intent"] == intent
    reminders = [remo.reminders_of(user) for user in (by_model, by_rules)]
    assert comparable(reminders[0], "title", "reminding_time", "status") == \
        comparable(reminders[1], "title", "reminding_time", "status")
    # Our parser read "tomorrow at 10am" in the user's zone (UTC: these users set none).
    assert [r["reminding_time"] for r in reminders[0].values()] == ["2026-11-19T10:00:00Z"]
    todos = [remo.todos_of(user) for user in (by_model, by_rules)]
    assert comparable(todos[0], "title", "priority", "status") == comparable(todos[1], "title", "priority", "status")
    assert len(todos[0]) == 1
    warnings = [json.loads(line) for line in open(f"{remo.stack.var_dir}/log/chat.log")
                if "instead of the LLM" in line]
    assert len(warnings) == 2  # the rules stood in for the second user's two messages, and logged it


def test_a_failing_model_leaves_the_rules_to_answer(llm, remo):
    user = new_user("outage")
    for rule in ({"status": 500}, {"status": 429}, {"delay_ms": 6000, "json": tool("show_profile")},
                 {"raw_body": "not json at all"}):
        llm.script([dict(rule, match="stretch")])
        before = remo.reminders_of(user)
        response = remo.chat(user, "remind me in 2 hours to stretch")
        assert response.status_code == 200, response.text
        assert response.json()["intent"] == "set_reminder", rule
        after = remo.reminders_of(user)
        assert len(after) == len(before) + 1
    llm.script([])


def test_a_users_data_never_reaches_another_users_prompt(llm, remo):
    alice, bob = new_user("alice"), new_user("bob")
    secret_title = "pick up the engagement ring from Tiffany"
    llm.script([{"match": "show my reminders", "json": tool("list_reminders", filter="pending")}])
    assert remo.chat(alice, f"remind me tomorrow at 9am to {secret_title}").status_code == 200
    assert remo.chat(alice, "show my reminders").status_code == 200
    llm.clear()
    assert remo.chat(bob, "show my reminders").json()["items"] == []
    assert remo.chat(bob, "add a todo: water the plants").status_code == 200
    asked = llm.chat_requests()
    assert len(asked) == 2
    for request in asked:
        text = json.dumps(request["body"])
        assert "Tiffany" not in text and alice not in text
