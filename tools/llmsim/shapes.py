"""The bodies OpenAI and Ollama answer with: completions, errors, model lists."""
import json
import re
import time
import uuid

TOKEN = re.compile(r"\w+|[^\w\s]")

OPENAI_ERRORS = {  # status -> (type, code, message), as OpenAI's API words them
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    404: ("invalid_request_error", "model_not_found", "The model does not exist or you do not have access to it."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again in 1s."),
    500: ("server_error", None, "The server had an error while processing your request. Sorry about that!"),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}


def text_of(content):
    """A message's text: a string, or OpenAI's list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def last_user_text(messages):
    for message in reversed(messages if isinstance(messages, list) else []):
        if isinstance(message, dict) and message.get("role") == "user":
            return text_of(message.get("content"))
    return ""


def count_tokens(text):
    """A deterministic stand-in for a tokenizer: words and punctuation marks."""
    return len(TOKEN.findall(text))


def prompt_tokens(messages):
    return sum(count_tokens(text_of(m.get("content"))) + 4 for m in messages if isinstance(m, dict))


def default_reply(messages):
    """What a voice agent gets when no rule matches: the engine's JSON, sane and deterministic."""
    words = " ".join(last_user_text(messages).split()).rstrip(".!?")
    if len(words) > 80:
        words = words[:77].rstrip() + "..."
    reply = f"I heard you say: {words}. How can I help further?" if words else "Hello, how can I help you today?"
    return json.dumps({"reply": reply, "collected": {}, "end_call": False})


def usage(prompt, completion, override=None):
    counts = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
    counts.update(override or {})
    return counts


def openai_completion(model, content, counts):
    return {
        "id": "chatcmpl-" + uuid.uuid4().hex[:24],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": counts,
    }


def openai_error(status, message=None, param=None):
    kind, code, default = OPENAI_ERRORS.get(status, ("server_error" if status >= 500 else "invalid_request_error",
                                                     None, f"HTTP {status}"))
    return {"error": {"message": message or default, "type": kind, "param": param, "code": code}}


def json_schema_refusal():
    """llama-cpp-python 0.3.36's server: pydantic rejects the type and its handler answers 500 with this."""
    detail = {"type": "literal_error", "loc": ("body", "response_format", "type"),
              "msg": "Input should be 'text' or 'json_object'", "input": "json_schema",
              "ctx": {"expected": "'text' or 'json_object'"}}
    message = (f"1 validation error:\n  {detail!r}\n\n  File \"llama_cpp/server/app.py\", line 376, "
               "in create_chat_completion\n    POST /v1/chat/completions")
    return {"error": {"message": message, "type": "internal_server_error", "param": None, "code": None}}


def rfc3339(seconds):
    fraction = f"{seconds % 1:.9f}"[2:]
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{fraction}Z"


def ollama_chat(model, content, counts, started, done=True):
    """Ollama's non-streamed /api/chat answer (or, with done=False, one streamed chunk)."""
    now = time.time()
    body = {"model": model, "created_at": rfc3339(now), "message": {"role": "assistant", "content": content},
            "done": done}
    if done:
        total = int((now - started) * 1e9)
        body.update({"done_reason": "stop", "total_duration": total, "load_duration": 0,
                     "prompt_eval_count": counts["prompt_tokens"], "prompt_eval_duration": total // 4,
                     "eval_count": counts["completion_tokens"], "eval_duration": total - total // 4})
    return body


def ollama_error(message):
    return {"error": message}


def openai_models(model):
    return {"object": "list", "data": [{"id": model, "object": "model", "created": 0, "owned_by": "llmsim"}]}


def ollama_tags(model):
    return {"models": [{"name": model, "model": model, "modified_at": rfc3339(0), "size": 0,
                        "digest": "0" * 64, "details": {"format": "gguf", "family": "llmsim",
                                                        "parameter_size": "0", "quantization_level": "none"}}]}
