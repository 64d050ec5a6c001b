"""python -m twiliosim --port 4567 (auth token and account SID from the environment)."""
import argparse
import os

from . import profiling
from .server import Simulator, serve


def main():
    parser = argparse.ArgumentParser(prog="twiliosim", description="Twilio simulator for local mode and tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("TWILIO_SIM_PORT", "4567")))
    parser.add_argument("--account-sid", default=os.environ.get("TWILIO_ACCOUNT_SID"))
    parser.add_argument("--auth-token", default=os.environ.get("TWILIO_AUTH_TOKEN"))
    parser.add_argument("--public-url", default=os.environ.get("PUBLIC_URL"),
                        help="where the product's webhooks are (inbound calls go to PUBLIC_URL/voice/inbound)")
    args = parser.parse_args()
    if not args.account_sid or not args.auth_token:
        parser.error("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required")
    profiling.start_if_asked()
    api_base = f"http://{args.host}:{args.port}"
    sim = Simulator(account_sid=args.account_sid, auth_token=args.auth_token,
                    public_url=(args.public_url or "").rstrip("/"), api_base=api_base)
    print(f"twilio simulator on {api_base}", flush=True)
    serve(args.host, args.port, sim)


if __name__ == "__main__":
    main()
