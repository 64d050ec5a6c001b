"""The stand-in LLM keeps the contract the LLM e2e tests rely on: OpenAI's and
Ollama's shapes, scripted rules, delays that block nobody else, errors."""
import json
import threading
import time

import requests

from conftest import wait_until
from llm_helpers import API_KEY, LLMStandIn, llm  # noqa: F401 (llm is a fixture)

AUTH = {"Authorization": f"Bearer {API_KEY}"}
SCHEMA = {"type": "object", "properties": {"reply": {"type": "string"}, "collected": {"type": "object"},
                                           "end_call": {"type": "boolean"}}, "required": ["reply"]}


def chat(llm, text, headers=AUTH, **extra):
    body = dict({"model": "gpt-test", "max_tokens": 64, "temperature": 0.2,
                 "messages": [{"role": "system", "content": "You are a phone agent."},
                              {"role": "assistant", "content": "Hello, who is calling?"},
                              {"role": "user", "content": text}]}, **extra)
    return requests.post(llm.base_url + "/chat/completions", json=body, headers=headers, timeout=10)


def ollama_chat(llm, text, **extra):
    body = dict({"model": "llama3", "stream": False, "format": SCHEMA, "options": {"num_predict": 64},
                 "messages": [{"role": "user", "content": text}]}, **extra)
    return requests.post(llm.ollama_host + "/api/chat", json=body, timeout=10)


def content(response):
    assert response.status_code == 200, response.text
    return response.json()["choices"][0]["message"]["content"]


def test_default_reply_is_an_openai_completion_with_the_engines_json(llm):
    response = chat(llm, "My name is Ann Lee", response_format={
        "type": "json_schema", "json_schema": {"name": "reply", "schema": SCHEMA, "strict": True}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {"id", "object", "created", "model", "choices", "usage"}
    assert body["object"] == "chat.completion" and body["model"] == "gpt-test"
    choice = body["choices"][0]
    assert choice["message"]["role"] == "assistant" and choice["finish_reason"] == "stop"
    usage = body["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    reply = json.loads(choice["message"]["content"])
    assert reply["collected"] == {} and reply["end_call"] is False and "My name is Ann Lee" in reply["reply"]

    [seen] = llm.chat_requests()
    assert seen["auth"] == {"present": True, "valid": True}
    assert "authorization" not in {name.lower() for name in seen["headers"]}
    assert API_KEY not in json.dumps(seen)
    assert seen["body"]["messages"][-1]["content"] == "My name is Ann Lee" and seen["status"] == 200


def test_a_missing_or_wrong_key_is_401_in_openais_shape(llm):
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = chat(llm, "hello", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_api_key"
    assert [entry["auth"] for entry in llm.requests()] == [{"present": False, "valid": False},
                                                           {"present": True, "valid": False}]


def test_first_matching_rule_answers_and_times_removes_it(llm):
    llm.script([{"match": "EMAIL", "times": 2, "json": {"reply": "Got it.", "collected": {"email": "a@b.co"},
                                                        "end_call": False}},
                {"match": "email", "content": "plain text, not JSON"},
                {"match": "bye", "content": "Goodbye!", "usage": {"completion_tokens": 7}}])
    first = json.loads(content(chat(llm, "my email is a@b.co")))
    assert first["collected"] == {"email": "a@b.co"}
    assert json.loads(content(chat(llm, "The Email again"))) == first
    assert content(chat(llm, "email once more")) == "plain text, not JSON"
    response = chat(llm, "ok bye")
    assert content(response) == "Goodbye!" and response.json()["usage"]["completion_tokens"] == 7
    assert "I heard you say: something else" in content(chat(llm, "something else"))
    assert [rule["match"] for rule in llm.rules()] == ["email", "bye"]
    llm.clear()
    assert llm.requests() == []


def test_a_delayed_answer_does_not_hold_up_the_others(llm):
    llm.script([{"match": "slow", "delay_ms": 1000}])
    slow = {}

    def ask():
        started = time.monotonic()
        slow["response"] = chat(llm, "slow please")
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=ask)
    thread.start()
    wait_until(llm.chat_requests, what="the slow request to arrive")
    assert content(chat(llm, "fast please"))
    assert thread.is_alive(), "the fast answer waited for the slow one"
    thread.join()
    assert slow["response"].status_code == 200 and slow["seconds"] >= 1.0

    llm.set_latency(300)
    started = time.monotonic()
    assert content(chat(llm, "anything"))
    assert time.monotonic() - started >= 0.3


def test_rate_limit_and_server_errors_have_the_providers_shapes(llm):
    llm.script([{"match": "busy", "status": 429}, {"status": 500}])
    limited = chat(llm, "are you busy")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    assert limited.json()["error"]["code"] == "rate_limit_exceeded"
    failed = chat(llm, "hello")
    assert failed.status_code == 500 and failed.json()["error"]["type"] == "server_error"
    ollama = ollama_chat(llm, "busy?")
    assert ollama.status_code == 429 and isinstance(ollama.json()["error"], str)


def test_raw_body_is_returned_verbatim(llm):
    llm.script([{"match": "broken", "raw_body": '{"choices": [{"mess'},
                {"match": "empty", "status": 200, "content": ""}])
    response = chat(llm, "broken please")
    assert response.status_code == 200 and response.text == '{"choices": [{"mess'
    assert content(chat(llm, "empty please")) == ""


def test_json_schema_is_refused_like_llama_cpp_and_json_object_works():
    with LLMStandIn(refuse_json_schema=True) as llm:
        refused = chat(llm, "hi", response_format={"type": "json_schema",
                                                   "json_schema": {"name": "reply", "schema": SCHEMA}})
        assert refused.status_code == 500 and "response_format" in refused.text and "type" in refused.text
        answered = chat(llm, "hi", response_format={"type": "json_object", "schema": SCHEMA})
        assert json.loads(content(answered))["end_call"] is False
        assert [entry["status"] for entry in llm.chat_requests()] == [500, 200]


def test_ollama_shape_and_model_lists(llm):
    llm.script([{"match": "name", "json": {"reply": "Hi Ann", "collected": {"name": "Ann"}, "end_call": True}}])
    response = ollama_chat(llm, "my name is Ann")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["done"] is True and body["model"] == "llama3" and body["message"]["role"] == "assistant"
    assert json.loads(body["message"]["content"])["collected"] == {"name": "Ann"}
    assert body["prompt_eval_count"] > 0 and body["eval_count"] > 0 and body["total_duration"] > 0
    assert body["created_at"].endswith("Z")
    assert llm.requests("/api/chat")[0]["body"]["format"] == SCHEMA

    tags = requests.get(llm.ollama_host + "/api/tags", timeout=5).json()
    assert [model["name"] for model in tags["models"]] == [llm.model]
    models = requests.get(llm.base_url + "/models", headers=AUTH, timeout=5).json()
    assert models["object"] == "list" and [model["id"] for model in models["data"]] == [llm.model]
    assert requests.get(llm.base_url + "/models", timeout=5).status_code == 401


def test_a_bad_script_is_refused_with_the_rule_named(llm):
    response = requests.post(llm.ollama_host + "/_sim/script", json=[{"match": "x"}, {"contnet": "typo"}], timeout=5)
    assert response.status_code == 400 and "rule 1" in response.json()["error"] and "contnet" in response.text
