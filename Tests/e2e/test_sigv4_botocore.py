"""SigV4 agrees with botocore byte for byte: Authorization headers, the headers the
signer adds, and presigned URLs, for a varied set of requests signed by
`voicectl aws sign` and by botocore's SigV4Auth / S3SigV4Auth / S3SigV4QueryAuth."""
import datetime
import json
import subprocess
from unittest import mock
from urllib.parse import quote

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from aws_fixtures import *  # noqa: F401,F403

KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token/with+specials=="


def enc(text):
    return quote(text, safe="-_.~")


def enc_path(text):
    return quote(text, safe="/-_.~")


def cases():
    out = []
    stamps = ["20150830T123600Z", "20240229T235959Z", "20261122T000001Z"]
    regions = ["us-east-1", "eu-west-1", "ap-south-1"]

    def add(**case):
        case.setdefault("headers", [])
        case.setdefault("body", "")
        case.setdefault("region", regions[len(out) % 3])
        case.setdefault("timestamp", stamps[len(out) % 3])
        case.setdefault("access_key", KEY)
        case.setdefault("secret_key", SECRET)
        out.append(case)

    # DynamoDB JSON protocol, every operation the product uses, with and without a token.
    for op in ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchWriteItem",
               "TransactWriteItems", "CreateTable", "DescribeTable", "UpdateTimeToLive", "ListTables"]:
        body = json.dumps({"TableName": "VoiceAssistant_Calls", "Key": {"call_sid": {"S": "CA" + op}},
                           "note": "héllo wörld ✓"}, ensure_ascii=False)
        for token in (None, TOKEN):
            add(method="POST", url=f"https://dynamodb.{regions[len(out) % 3]}.amazonaws.com/", service="dynamodb",
                headers=[["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", f"DynamoDB_20120810.{op}"]],
                body=body, session_token=token)
    # Local endpoints with ports.
    add(method="POST", url="http://127.0.0.1:4566/", service="dynamodb",
        headers=[["Content-Type", "application/x-amz-json-1.0"], ["X-Amz-Target", "DynamoDB_20120810.GetItem"]],
        body='{"TableName":"T"}')
    add(method="POST", url="http://localhost:8000/", service="dynamodb", body="{}",
        headers=[["X-Amz-Target", "DynamoDB_20120810.ListTables"]], session_token=TOKEN)

    # S3 objects: keys with spaces, unicode, reserved characters; every method.
    keys = ["recordings/CA123.mp3", "recordings/with space.wav", "recordings/नमस्ते/é ü.mp3",
            "a+b=c&d/e~f_g-h.i", "deep/../dots/./kept", "emoji/😀.bin"]
    for i, key in enumerate(keys):
        for method in ["GET", "PUT", "HEAD", "DELETE"]:
            add(method=method, url=f"https://voice-assistant-recordings.s3.amazonaws.com/{enc_path(key)}",
                service="s3", body="audio-bytes-ü" if method == "PUT" else "",
                headers=[["Content-Type", "audio/mpeg"], ["x-amz-server-side-encryption", "AES256"]] if method == "PUT" else [],
                session_token=TOKEN if i % 2 else None)
    # S3 path style against a local endpoint, unsigned payloads.
    add(method="PUT", url="http://127.0.0.1:4566/bucket/" + enc_path("rec/a b.mp3"), service="s3",
        body="x" * 1000, unsigned_payload=True)
    add(method="PUT", url="https://bucket.s3.eu-west-1.amazonaws.com/" + enc_path("stream é.wav"), service="s3",
        body="streamed", unsigned_payload=True, session_token=TOKEN, region="eu-west-1")
    # S3 queries: repeated keys, empty values, bare keys, encoded characters.
    for query in ["uploads", "partNumber=3&uploadId=" + enc("abc/def+ghi=="), "list-type=2&prefix=" + enc("recordings/ü"),
                  "a=2&a=1&a=", "versioning", "encryption", "x=&y&z=" + enc("v w"), "b=1&B=2&_=3&~=4",
                  "delimiter=%2F&max-keys=1000&continuation-token=" + enc("tok+en/=")]:
        add(method="GET", url=f"https://bucket.s3.amazonaws.com/?{query}", service="s3")
    # Headers that need trimming, repeated names in different case, unsigned ones.
    add(method="GET", url="https://example.amazonaws.com/", service="service",
        headers=[["X-Custom", "  a   b  c "], ["User-Agent", "voicectl/1"], ["Expect", "100-continue"]])
    add(method="POST", url="https://sts.amazonaws.com/", service="sts",
        headers=[["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"]],
        body="Action=GetCallerIdentity&Version=2011-06-15", session_token=TOKEN)
    # Other services: paths normalised (dot segments, repeated slashes) and encoded twice.
    for path in ["/", "/a/./b/../c", "//double//slash/", "/" + enc_path("space here/ü"), "/%7Etilde/x%2Fy",
                 "/.."]:
        add(method="GET", url=f"https://execute-api.us-east-1.amazonaws.com{path}?Param2=value2&Param1=value1",
            service="execute-api")
    # Presigned GET URLs.
    for i, (key, expires) in enumerate([("recordings/CA1.mp3", 3600), ("rec/with space.wav", 604800),
                                         ("ü/é.mp3", 60), ("a+b", 1), ("x/y/z", 86400)]):
        add(method="GET", url=f"https://voice-assistant-recordings.s3.amazonaws.com/{enc_path(key)}", service="s3",
            presign_expires=expires, session_token=TOKEN if i % 2 else None)
    add(method="GET", url="http://127.0.0.1:4566/bucket/" + enc_path("local key.mp3"), service="s3",
        presign_expires=900)
    add(method="GET", url="https://bucket.s3.amazonaws.com/k?versionId=" + enc("v1/2") + "&response-content-type=" + enc("audio/mpeg"),
        service="s3", presign_expires=300)
    return out


def botocore_sign(case):
    credentials = Credentials(case["access_key"], case["secret_key"], case.get("session_token"))
    request = AWSRequest(method=case["method"], url=case["url"], headers=dict(case["headers"]),
                         data=case["body"].encode())
    if case.get("presign_expires"):
        auth = S3SigV4QueryAuth(credentials, case["service"], case["region"], expires=case["presign_expires"])
    elif case["service"] == "s3":
        auth = S3SigV4Auth(credentials, case["service"], case["region"])
        if case.get("unsigned_payload"):
            request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    else:
        auth = SigV4Auth(credentials, case["service"], case["region"])
    when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)
    return request


def test_at_least_fifty_varied_requests_agree_with_botocore(voicectl_bin):
    all_cases = cases()
    assert len(all_cases) >= 50
    result = subprocess.run([voicectl_bin, "aws", "sign"], input=json.dumps(all_cases), capture_output=True,
                            text=True, check=True, timeout=60)
    ours = json.loads(result.stdout)
    assert len(ours) == len(all_cases)
    mismatches = []
    for case, mine in zip(all_cases, ours):
        assert "error" not in mine or mine["error"] is None, (case, mine)
        theirs = botocore_sign(case)
        if case.get("presign_expires"):
            if mine["url"] != theirs.url:
                mismatches.append((case, mine["url"], theirs.url))
            continue
        if mine["authorization"] != theirs.headers["Authorization"]:
            mismatches.append((case, mine["authorization"], theirs.headers["Authorization"], mine["canonical_request"]))
            continue
        added = {name.lower(): value for name, value in mine["headers"]}
        for name in ["X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"]:
            assert added.get(name.lower()) == theirs.headers.get(name), (name, case)
    assert not mismatches, "\n\n".join(map(str, mismatches))
    kinds = {(c["service"], bool(c.get("presign_expires")), bool(c.get("session_token"))) for c in all_cases}
    assert ("s3", True, True) in kinds and ("dynamodb", False, True) in kinds and ("s3", False, False) in kinds
