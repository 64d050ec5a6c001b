"""boto3's side of the DynamoDB client benchmark: N PutItem then N GetItem, printing
the same JSON as `voicectl aws ddb-bench` (wall rate, and this process's own CPU
time per request, user + sys, which the emulator's speed does not distort).

Usage: aws_bench.py --endpoint URL --table NAME --key ATTR [--count 2000]
(credentials and region from the usual AWS_* environment variables)."""
import argparse
import json
import os
import time

import boto3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL"))
    parser.add_argument("--table", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    client = boto3.client("dynamodb", endpoint_url=args.endpoint)

    def measure(body):
        cpu, wall = time.process_time(), time.monotonic()
        for i in range(args.count):
            body(i)
        return time.monotonic() - wall, time.process_time() - cpu

    put_wall, put_cpu = measure(lambda i: client.put_item(
        TableName=args.table, Item={args.key: {"S": f"bench-{i}"}, "n": {"N": str(i)}, "payload": {"S": "x"}}))
    get_wall, get_cpu = measure(lambda i: client.get_item(TableName=args.table, Key={args.key: {"S": f"bench-{i}"}}))
    n = args.count
    print(json.dumps({"count": n, "put_per_s": int(n / put_wall), "get_per_s": int(n / get_wall),
                      "put_cpu_us": int(put_cpu / n * 1e6), "get_cpu_us": int(get_cpu / n * 1e6)}))


if __name__ == "__main__":
    main()
