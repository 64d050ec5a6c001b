"""python -m tools.llmsim --port 4568 [--latency-ms N] [--api-key K] [--refuse-json-schema]"""
import argparse

from .server import Simulator, serve


def main():
    parser = argparse.ArgumentParser(prog="llmsim", description="Scriptable stand-in LLM server (OpenAI and Ollama)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4568, help="0 picks a free port (printed on the first line)")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every chat answer")
    parser.add_argument("--api-key", help="require 'Authorization: Bearer KEY' on /v1/ (401 otherwise)")
    parser.add_argument("--refuse-json-schema", action="store_true",
                        help="answer 500 to response_format.type json_schema, as llama-cpp-python's server does")
    parser.add_argument("--model", default="llmsim", help="the one model /v1/models and /api/tags list")
    args = parser.parse_args()
    if args.latency_ms < 0:
        parser.error("--latency-ms must be >= 0")
    sim = Simulator(latency_ms=args.latency_ms, api_key=args.api_key,
                    refuse_json_schema=args.refuse_json_schema, model=args.model)
    serve(args.host, args.port, sim)


if __name__ == "__main__":
    main()
