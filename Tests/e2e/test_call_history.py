"""The call history of the operator API: GET /calls filtered over the right
index and paged with opaque cursors, GET /analytics per agent and day, and
`voicectl calls`. The history is seeded with boto3, and what each listing must
answer is computed here from a boto3 scan of the table, not from our code."""
import datetime as dt
import json
import random
import statistics
from decimal import Decimal

import pytest
import requests

from conftest import module_stack, wait_until
from voice_helpers import API_KEY, Voice, local_env

AGENT_A, AGENT_B = "hist-agent-a", "hist-agent-b"
NUMBERS = ["+15550170001", "+15550170002", "+15550170003"]
STATUSES = ["completed", "completed", "completed", "no-answer", "busy", "failed"]
ENDED_BY = ["user", "system_complete", "system_timeout", "unknown"]
TODAY = dt.datetime.now(dt.timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
# The seeded calls end at the last noon that has passed (yesterday's before
# 12:00 UTC), so none starts after the real calls the tests place.
SEED_NOON = TODAY if TODAY <= dt.datetime.now(dt.timezone.utc) else TODAY - dt.timedelta(days=1)


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def seed_records():
    """45 calls over ten days, two agents, three numbers; two share a start time."""
    rng = random.Random(7)
    records = []
    for n in range(45):
        agent = AGENT_A if n % 3 else AGENT_B
        recipient = NUMBERS[n % 3 if agent == AGENT_A else (n // 3) % 3]
        started = SEED_NOON - dt.timedelta(days=n % 10, minutes=rng.randrange(0, 600), milliseconds=rng.randrange(1000))
        status = STATUSES[n % len(STATUSES)]
        record = {
            "call_sid": f"CA{n:032x}", "agent_id": agent, "recipient_phone": recipient, "caller_phone": "+15550009999",
            "direction": "outbound", "status": status, "started_at": stamp(started),
            "agent_recipient_key": f"{agent}#{recipient}#{stamp(started)}",
            "conversation_history": [{"role": "assistant", "content": "Hello", "timestamp": stamp(started)}],
            "message_count": 1, "sync_version": 1,
        }
        if status == "completed":
            record["duration_seconds"] = Decimal(rng.randrange(5, 300))
            record["ended_by"] = ENDED_BY[n % len(ENDED_BY)]
            record["answered_by"] = "machine_start" if n % 5 == 0 else "human"
            record["data_collected"] = {"name": "Ann", "email": "ann@example.com"} if n % 2 else {"name": "Bob"}
        else:
            record["ended_by"] = "unknown"
            record["data_collected"] = {}
        record["ended_at"] = stamp(started + dt.timedelta(seconds=int(record.get("duration_seconds", 0))))
        records.append(record)
    # A tie on started_at, across a page boundary in the paging tests.
    records[1]["started_at"] = records[4]["started_at"]
    records[1]["agent_recipient_key"] = f"{records[1]['agent_id']}#{records[1]['recipient_phone']}#{records[1]['started_at']}"
    return records


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    voice = Voice(module_stack(request, tmp_path_factory, local_env()))
    table = voice.ddb.Table("VoiceAssistant_Calls")
    with table.batch_writer() as batch:
        for record in seed_records():
            batch.put_item(Item=record)
    created = requests.post(f"{voice.stack.url}/agents", headers=auth(), timeout=15, json={
        "agent_id": AGENT_A, "name": "History A", "prompt": "Collect a name and an email.", "voice": "Polly.Joanna",
        "language": "en-US", "greeting": "Hello",
        "data_to_fill": {"name": {"required": True, "prompt": "Your name?"},
                         "email": {"required": True, "prompt": "Your email?"},
                         "note": {"required": False, "prompt": "Anything else?"}}})
    assert created.status_code == 201, created.text
    return voice


def auth(key=API_KEY):
    return {"Authorization": f"Bearer {key}"} if key else {}


def calls(voice, key=API_KEY, **params):
    return requests.get(f"{voice.stack.url}/calls", params=params, headers=auth(key), timeout=15)


def stored(voice):
    """Every record in the table, newest first, read with boto3."""
    table = voice.ddb.Table("VoiceAssistant_Calls")
    items, start = [], None
    while True:
        page = table.scan(**({"ExclusiveStartKey": start} if start else {}))
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return sorted(items, key=lambda r: (r["started_at"], r["call_sid"]), reverse=True)


def every_page(voice, limit, **params):
    """The SIDs of a listing, page by page through its cursors."""
    sids, cursor, pages = [], None, 0
    while True:
        answer = calls(voice, limit=limit, **params, **({"cursor": cursor} if cursor else {}))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert len(body["calls"]) <= limit and body["count"] == len(body["calls"])
        sids += [call["call_sid"] for call in body["calls"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return sids, pages
        assert pages < 100, "the cursor does not advance"


def in_window(record, since=None, until=None):
    return (since is None or record["started_at"] >= since) and (until is None or record["started_at"] <= until)


FILTERS = [
    ({}, lambda r: True),
    ({"agent_id": AGENT_A}, lambda r: r["agent_id"] == AGENT_A),
    ({"recipient": NUMBERS[1]}, lambda r: r["recipient_phone"] == NUMBERS[1]),
    ({"agent_id": AGENT_A, "recipient": NUMBERS[2]}, lambda r: r["agent_id"] == AGENT_A and r["recipient_phone"] == NUMBERS[2]),
    ({"status": "completed"}, lambda r: r["status"] == "completed"),
    ({"agent_id": AGENT_B, "status": "no-answer"}, lambda r: r["agent_id"] == AGENT_B and r["status"] == "no-answer"),
    ({"recipient": NUMBERS[0], "status": "completed"}, lambda r: r["recipient_phone"] == NUMBERS[0] and r["status"] == "completed"),
]


@pytest.mark.parametrize("params,matches", FILTERS, ids=[json.dumps(f[0]) for f in FILTERS])
def test_each_filter_lists_exactly_its_calls_newest_first_across_pages(voice, params, matches):
    expected = [r["call_sid"] for r in stored(voice) if matches(r)]
    assert expected, "the seed has calls for every filter"
    listed, pages = every_page(voice, 4, **params)
    assert listed == expected
    assert pages >= len(expected) // 4
    first = calls(voice, limit=100, **params).json()
    assert [c["call_sid"] for c in first["calls"]] == expected and first["next_cursor"] is None


def test_time_windows_bound_started_at_and_a_date_until_takes_the_whole_day(voice):
    day = (TODAY - dt.timedelta(days=3)).strftime("%Y-%m-%d")
    records = stored(voice)
    expected = [r["call_sid"] for r in records if r["started_at"][:10] == day]
    assert expected
    assert every_page(voice, 3, since=day, until=day)[0] == expected
    since = stamp(TODAY - dt.timedelta(days=5))
    until = stamp(TODAY - dt.timedelta(days=2, hours=3))
    expected = [r["call_sid"] for r in records if r["agent_id"] == AGENT_A and in_window(r, since, until)]
    assert every_page(voice, 5, agent_id=AGENT_A, since=since, until=until)[0] == expected
    expected = [r["call_sid"] for r in records
                if r["agent_id"] == AGENT_A and r["recipient_phone"] == NUMBERS[1] and in_window(r, since=since)]
    assert every_page(voice, 2, agent_id=AGENT_A, recipient=NUMBERS[1], since=since)[0] == expected


def test_a_listing_shows_the_record_without_its_transcript(voice):
    records = {r["call_sid"]: r for r in stored(voice)}
    for call in calls(voice, agent_id=AGENT_B, limit=100).json()["calls"]:
        record = records[call["call_sid"]]
        assert "conversation_history" not in call and "agent_recipient_key" not in call
        assert call["status"] == record["status"] and call["started_at"] == record["started_at"]
        assert call["recipient_phone"] == record["recipient_phone"] and call["data_collected"] == record["data_collected"]
        assert call.get("duration_seconds") == (int(record["duration_seconds"]) if "duration_seconds" in record else None)


def test_a_real_call_is_listed_under_its_agent_and_number(voice):
    voice.scenario("+15550170099", ["Hi, my name is John Smith", "No, that's all. Bye!"])
    sid = voice.make_call("customer-support-001", "+15550170099").json()["call_sid"]
    voice.call_report(sid)
    record = voice.final_record(sid)
    listed = calls(voice, agent_id="customer-support-001", recipient="+15550170099").json()["calls"]
    assert [c["call_sid"] for c in listed] == [sid]
    assert listed[0]["status"] == "completed" and listed[0]["ended_by"] == record["ended_by"]
    assert calls(voice, limit=1).json()["calls"][0]["call_sid"] == sid  # the newest of all


@pytest.mark.parametrize("params,named", [
    ({"agent_id": "bad id!"}, "agent_id"), ({"recipient": "5550100"}, "recipient"), ({"status": "done"}, "status"),
    ({"since": "yesterday"}, "since"), ({"until": "2026-13-01"}, "until"), ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"), ({"limit": "ten"}, "limit"),
    ({"since": "2026-11-20", "until": "2026-11-10"}, "until"), ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
])
def test_a_bad_parameter_is_a_400_naming_it(voice, params, named):
    answer = calls(voice, **params)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["error"] and named in body["detail"]


def test_a_tampered_or_foreign_cursor_is_refused(voice):
    cursor = calls(voice, agent_id=AGENT_A, limit=2).json()["next_cursor"]
    payload, mac = cursor.split(".")
    tampered = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + mac
    assert calls(voice, agent_id=AGENT_A, cursor=tampered).status_code == 400
    foreign = calls(voice, agent_id=AGENT_B, cursor=cursor)
    assert foreign.status_code == 400 and "cursor" in foreign.json()["detail"]
    assert calls(voice, agent_id=AGENT_A, cursor=cursor).status_code == 200


def test_the_history_needs_the_key_and_only_reads(voice):
    assert calls(voice, key=None).status_code == 401
    assert calls(voice, key="wrong").status_code == 401
    refused = requests.post(f"{voice.stack.url}/calls", headers=auth(), json={}, timeout=15)
    assert refused.status_code == 405 and "GET" in refused.headers.get("Allow", "")


def expected_figures(records, required):
    durations = sorted(float(r["duration_seconds"]) for r in records if "duration_seconds" in r)
    ended = {}
    for r in records:
        ended[r.get("ended_by", "unknown")] = ended.get(r.get("ended_by", "unknown"), 0) + 1
    share = None
    if required:
        share = sum(1 for r in records if required <= {k for k, v in r["data_collected"].items() if v}) / len(records)
    p90 = durations[max(0, -(-len(durations) * 9 // 10) - 1)] if durations else None
    return {
        "calls": len(records), "completed": sum(r["status"] == "completed" for r in records),
        "answered_by_machine": sum(r.get("answered_by", "").startswith("machine") for r in records),
        "voicemail_left": sum(r.get("outcome") == "voicemail_left" for r in records),
        "duration_seconds": {"mean": round(statistics.mean(durations), 1) if durations else None, "p90": p90},
        "ended_by": ended, "all_required_collected": share,
    }


def analytics(voice, key=API_KEY, **params):
    return requests.get(f"{voice.stack.url}/analytics", params=params, headers=auth(key), timeout=30)


def test_analytics_per_agent_and_day_match_the_records(voice):
    since = (SEED_NOON - dt.timedelta(days=9)).strftime("%Y-%m-%d")
    until = TODAY.strftime("%Y-%m-%d")
    body = analytics(voice, since=since, until=until).json()
    assert body["since"] == since and body["until"] == until and body["complete"] is True
    records = [r for r in stored(voice) if r["agent_id"] in (AGENT_A, AGENT_B)]
    reports = {agent["agent_id"]: agent for agent in body["agents"]}
    for agent, required in ((AGENT_A, {"name", "email"}), (AGENT_B, None)):
        mine = [r for r in records if r["agent_id"] == agent]
        report = reports[agent]
        assert report["totals"] == expected_figures(mine, required)
        days = sorted({r["started_at"][:10] for r in mine})
        assert [d["date"] for d in report["days"]] == days
        for day in report["days"]:
            figures = {k: v for k, v in day.items() if k != "date"}
            assert figures == expected_figures([r for r in mine if r["started_at"][:10] == day["date"]], required)
    only_a = analytics(voice, agent_id=AGENT_A, since=since, until=until).json()
    assert [a["agent_id"] for a in only_a["agents"]] == [AGENT_A] and only_a["agents"][0] == reports[AGENT_A]


def test_analytics_default_to_the_last_seven_days(voice):
    body = analytics(voice, agent_id=AGENT_B).json()
    assert body["until"] == TODAY.strftime("%Y-%m-%d")
    assert body["since"] == (TODAY - dt.timedelta(days=6)).strftime("%Y-%m-%d")
    mine = [r for r in stored(voice) if r["agent_id"] == AGENT_B and r["started_at"][:10] >= body["since"]]
    assert body["agents"][0]["totals"]["calls"] == len(mine) > 0


@pytest.mark.parametrize("params,named", [
    ({"since": "2026-01-01", "until": "2026-06-01"}, "92 days"), ({"since": "soon"}, "since"),
    ({"agent_id": "../etc"}, "agent_id"), ({"since": "2999-01-01"}, "since"),
])
def test_analytics_refuse_bad_windows(voice, params, named):
    answer = analytics(voice, **params)
    assert answer.status_code == 400 and named in answer.json()["detail"], answer.text
    assert analytics(voice, key=None).status_code == 401


def test_voicectl_lists_and_shows_calls_as_the_api_does(voice):
    listed = voice.stack.voicectl("calls", "list", "--agent", AGENT_A, "--limit", "7", "--json").stdout.splitlines()
    api = calls(voice, agent_id=AGENT_A, limit=7).json()["calls"]
    assert [json.loads(line) for line in listed] == api
    table = voice.stack.voicectl("calls", "list", "--status", "busy", "--limit", "100").stdout
    busy = [r["call_sid"] for r in stored(voice) if r["status"] == "busy"]
    assert f"{len(busy)} call(s)" in table and all(sid in table for sid in busy)
    shown = json.loads(voice.stack.voicectl("calls", "show", api[0]["call_sid"]).stdout)
    assert shown["call_sid"] == api[0]["call_sid"] and shown["conversation_history"][0]["content"] == "Hello"
    refused = voice.stack.voicectl("calls", "list", "--recipient", "12345", check=False)
    assert refused.returncode != 0 and "recipient" in refused.stderr


def test_tables_create_adds_the_agent_index_to_a_table_made_without_it(voice):
    client = voice.ddb.meta.client
    client.update_table(TableName="VoiceAssistant_Calls",
                        GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "AgentStartedIndex"}}])
    wait_until(lambda: "AgentStartedIndex" not in
               [i["IndexName"] for i in client.describe_table(TableName="VoiceAssistant_Calls")["Table"].get(
                   "GlobalSecondaryIndexes", [])], what="the index dropped")
    assert calls(voice, agent_id=AGENT_A).status_code >= 400  # the listing needs it
    made = voice.stack.voicectl("tables", "create")
    assert "Adding index AgentStartedIndex" in made.stdout
    indexes = client.describe_table(TableName="VoiceAssistant_Calls")["Table"]["GlobalSecondaryIndexes"]
    assert {i["IndexName"]: [k["AttributeName"] for k in i["KeySchema"]] for i in indexes}["AgentStartedIndex"] == [
        "agent_id", "started_at"]
    expected = [r["call_sid"] for r in stored(voice) if r["agent_id"] == AGENT_A]
    assert every_page(voice, 50, agent_id=AGENT_A)[0] == expected
