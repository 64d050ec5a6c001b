"""Helpers for the Remo (chat) e2e tests: a stack in local mode with a Privy
verification key generated here, tokens signed with PyJWT, and boto3 on the
emulator to check what landed. Nothing here shares code with the product."""
import os
import shutil
import tempfile
import time
import uuid

import boto3
import jwt
import requests
from boto3.dynamodb.conditions import Key
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import Stack

APP_ID = "cm-e2e-remo-app"
# Wednesday 18 November 2026, 11:00 in Asia/Kolkata (UTC+05:30).
FIXED_NOW = "2026-11-18T05:30:00Z"
FIXED_EPOCH = 1794979800
KOLKATA = "Asia/Kolkata"


class Keys:
    """A P-256 key pair made for this test run, as Privy's app key would be."""

    def __init__(self):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.public_pem = self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def token(self, sub, aud=APP_ID, iss="privy.io", exp_in=3600, iat_offset=0, **extra):
        now = int(time.time())
        claims = {"sub": sub, "aud": aud, "iss": iss, "sid": "e2e-session", "iat": now + iat_offset,
                  "exp": now + exp_in, **extra}
        return jwt.encode(claims, self.private, algorithm="ES256")


def remo_env(keys, **extra):
    env = {
        "LOCAL_AWS": "true",
        "LOCAL_TWILIO": "false",
        "PRIVY_APP_ID": APP_ID,
        # One line with literal \n, as a .env file would carry it.
        "PRIVY_VERIFICATION_KEY": keys.public_pem.strip().replace("\n", "\\n"),
        "REMO_FIXED_NOW": FIXED_NOW,
    }
    env.update(extra)
    return env


class RemoStack:
    """A started stack plus the clients the tests need; `close()` stops it."""

    def __init__(self, keys=None, **extra_env):
        self.keys = keys or Keys()
        self.dir = tempfile.mkdtemp(prefix="remo-e2e-")
        self.stack = Stack(self.dir, remo_env(self.keys, **extra_env))
        self.stack.start()
        self.url = self.stack.url
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                        region_name="us-east-1")
        endpoint = f"http://127.0.0.1:{self.stack.env['LOCAL_AWS_PORT']}"
        self.ddb = session.resource("dynamodb", endpoint_url=endpoint)
        self.reminders = self.ddb.Table("remo-reminders")
        self.todos = self.ddb.Table("remo-todos")
        self.users = self.ddb.Table("remo-users")
        self.conversations = self.ddb.Table("remo-conversations")

    def close(self):
        self.stack.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- HTTP -----------------------------------------------------------------

    def headers(self, user, token=None):
        return {"Authorization": f"Bearer {token or self.keys.token(user)}"}

    def chat(self, user, message, token=None, **body):
        payload = {"message": message, "user_id": user, **body}
        return requests.post(self.url + "/chat", json=payload, headers=self.headers(user, token), timeout=15)

    def call(self, method, path, user, token=None, **kwargs):
        return requests.request(method, self.url + path, headers=self.headers(user, token), timeout=15, **kwargs)

    # -- what landed ------------------------------------------------------------

    def _all(self, table, user):
        items, start = [], None
        while True:
            args = {"KeyConditionExpression": Key("user_id").eq(user), "ConsistentRead": True}
            if start:
                args["ExclusiveStartKey"] = start
            page = table.query(**args)
            items += page["Items"]
            start = page.get("LastEvaluatedKey")
            if not start:
                return items

    def reminders_of(self, user):
        return {item["reminder_id"]: item for item in self._all(self.reminders, user)}

    def todos_of(self, user):
        return {item["todo_id"]: item for item in self._all(self.todos, user)}

    def messages_of(self, user):
        return self._all(self.conversations, user)

    def profile_of(self, user):
        return self.users.get_item(Key={"privy_id": user}, ConsistentRead=True).get("Item")


def new_user(label="user"):
    return f"did:privy:e2e-{label}-{uuid.uuid4().hex[:12]}"


def assert_error(response, statuses):
    """A 4xx in `statuses` with the `{error, detail}` body."""
    assert response.status_code in statuses, (response.status_code, response.text)
    body = response.json()
    assert set(body) >= {"error", "detail"} and body["detail"], body
    return body
