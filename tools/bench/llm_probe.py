#!/usr/bin/env python3
"""Latency and tokens/s of an OpenAI-compatible server on short phone-like turns.

    python3 tools/bench/llm_probe.py --base-url http://127.0.0.1:4568/v1 --model smollm2-135m --turns 10

Each turn asks, as the voice engine does, for {"reply", "collected", "end_call"}
through response_format json_object with a schema (what llama.cpp's server
constrains by grammar). Standard library only; one JSON line of figures.
"""
import argparse
import json
import statistics
import time
import urllib.request

SCHEMA = {"type": "object",
          "properties": {"reply": {"type": "string"}, "collected": {"type": "object"},
                         "end_call": {"type": "boolean"}},
          "required": ["reply", "collected", "end_call"]}
SYSTEM = ("You are Maya, a friendly receptionist at Bright Smile Dental, speaking on the phone. "
          "Collect the caller's full name and preferred appointment day. Speak in one or two short "
          "sentences, no lists. Answer only with JSON: {\"reply\": what you say, \"collected\": "
          "{field: value} for what the caller told you, \"end_call\": true when done}.")
CALLER_LINES = ["Hi, this is John Carter, I'd like to book a cleaning.",
                "Tuesday morning would be best for me.",
                "Yes, that works. Thanks, bye!"]


def turn(base_url, model, api_key, line, max_tokens, response_format, prefix=""):
    body = {"model": model, "max_tokens": max_tokens, "temperature": 0.2,
            "messages": [{"role": "system", "content": prefix + SYSTEM},
                         {"role": "assistant", "content": "Bright Smile Dental, this is Maya. How can I help?"},
                         {"role": "user", "content": line}]}
    if response_format:
        body["response_format"] = response_format
    request = urllib.request.Request(base_url.rstrip("/") + "/chat/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {api_key}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.load(response)
    seconds = time.perf_counter() - started
    content = answer["choices"][0]["message"]["content"]
    try:
        json.loads(content)
        valid = True
    except ValueError:
        valid = False
    return seconds, answer.get("usage", {}), valid, content


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:4568/v1")
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--api-key", default="unused")
    parser.add_argument("--turns", type=int, default=9)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--plain", action="store_true", help="no response_format (unconstrained text)")
    parser.add_argument("--fresh", action="store_true",
                        help="a different system prompt each turn (no prompt-prefix cache: many calls at once)")
    parser.add_argument("--show", action="store_true", help="print each reply")
    args = parser.parse_args()
    response_format = None if args.plain else {"type": "json_object", "schema": SCHEMA}

    latencies, rates, prompt, completion, valid = [], [], [], [], 0
    for index in range(args.turns):
        seconds, usage, ok, content = turn(args.base_url, args.model, args.api_key,
                                           CALLER_LINES[index % len(CALLER_LINES)], args.max_tokens,
                                           response_format, f"Call {index + 1}. " if args.fresh else "")
        latencies.append(seconds)
        prompt.append(usage.get("prompt_tokens", 0))
        completion.append(usage.get("completion_tokens", 0))
        rates.append(completion[-1] / seconds if seconds else 0.0)
        valid += ok
        if args.show:
            print(f"{seconds * 1000:7.0f} ms  {completion[-1]:3d} tokens  {content}")
    ordered = sorted(latencies)
    print(json.dumps({
        "turns": args.turns, "json_valid": valid,
        "latency_ms_p50": round(statistics.median(latencies) * 1000),
        "latency_ms_max": round(ordered[-1] * 1000),
        "prompt_tokens_mean": round(statistics.mean(prompt), 1),
        "completion_tokens_mean": round(statistics.mean(completion), 1),
        "completion_tokens_per_s_mean": round(statistics.mean(rates), 1),
    }))


if __name__ == "__main__":
    main()
