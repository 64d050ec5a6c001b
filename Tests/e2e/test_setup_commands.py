"""voicectl tables / bucket / seed against the emulator: what they create is what
DESIGN.md section 5 lists (checked with boto3), and a second run changes nothing."""
import subprocess

from conftest import BIN_DIR, ROOT
from voice_helpers import Voice, local_env

TABLES = {
    "VoiceAssistant_Agents": (["agent_id"], {"StatusIndex": ["status", "created_at"]}, None),
    "VoiceAssistant_Calls": (["call_sid"], {
        "AgentRecipientIndex": ["agent_id", "agent_recipient_key"],
        "RecipientIndex": ["recipient_phone", "started_at"],
        "StatusIndex": ["status", "started_at"],
        "AgentStartedIndex": ["agent_id", "started_at"]}, None),  # ours: an agent's calls newest first
    "VoiceAssistant_PhoneNumbers": (["phone_number"], {"AgentIndex": ["assigned_agent_id"]}, None),
    "remo-reminders": (["user_id", "reminder_id"], {"status-index": ["user_id", "status"]}, "ttl"),
    "remo-todos": (["user_id", "todo_id"], {"status-index": ["user_id", "status"],
                                            "priority-index": ["user_id", "priority"]}, "ttl"),
    "remo-users": (["privy_id"], {}, None),
    "remo-conversations": (["user_id", "timestamp"], {}, "ttl"),
}


def voicectl(stack, *args):
    return subprocess.run([f"{BIN_DIR}/voicectl", *args], env=stack.env, cwd=ROOT, capture_output=True, text=True)


def key_names(schema):
    return [k["AttributeName"] for k in sorted(schema, key=lambda k: k["KeyType"])]  # HASH before RANGE


def test_tables_bucket_and_seed_match_the_design(make_stack):
    stack = make_stack(local_env())
    voice = Voice(stack)
    for name, (keys, indexes, ttl) in TABLES.items():
        table = voice.dynamodb.describe_table(TableName=name)["Table"]
        assert table["TableStatus"] == "ACTIVE"
        assert key_names(table["KeySchema"]) == keys, name
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        found = {i["IndexName"]: key_names(i["KeySchema"]) for i in table.get("GlobalSecondaryIndexes", [])}
        assert found == indexes, name
        if ttl:
            description = voice.dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
            assert description["TimeToLiveStatus"] == "ENABLED" and description["AttributeName"] == ttl
    encryption = voice.s3.get_bucket_encryption(Bucket="voice-assistant-recordings")
    rule = encryption["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert voice.s3.get_bucket_versioning(Bucket="voice-assistant-recordings")["Status"] == "Enabled"

    agents = {a["agent_id"]: a for a in voice.ddb.Table("VoiceAssistant_Agents").scan()["Items"]}
    assert set(agents) == {"customer-support-001", "sales-001", "hindi-support-001", "default"}
    hindi = agents["hindi-support-001"]
    assert hindi["language"] == "hi-IN" and hindi["voice"] == "Polly.Aditi" and hindi["status"] == "active"
    for agent in agents.values():
        assert agent["prompt"] and agent["greeting"] and agent["few_shot"]
    assert set(agents["customer-support-001"]["data_to_fill"]) == {"name", "email", "issue"}


def test_a_second_run_changes_nothing_and_says_so(make_stack):
    stack = make_stack(local_env())
    voice = Voice(stack)
    table = voice.ddb.Table("VoiceAssistant_Agents")
    table.update_item(Key={"agent_id": "sales-001"}, UpdateExpression="SET greeting = :g",
                      ExpressionAttributeValues={":g": "Edited by an operator"})
    tables = voicectl(stack, "tables", "create")
    assert tables.returncode == 0, tables.stderr
    assert tables.stdout.count("already exists") == 7
    assert "nothing changed" in tables.stdout
    bucket = voicectl(stack, "bucket", "create")
    assert bucket.returncode == 0 and "Bucket already exists" in bucket.stdout
    assert "already set" in bucket.stdout and "already enabled" in bucket.stdout
    seed = voicectl(stack, "seed")
    assert seed.returncode == 0 and "Nothing to do" in seed.stdout
    assert table.get_item(Key={"agent_id": "sales-001"})["Item"]["greeting"] == "Edited by an operator"
    verify = voicectl(stack, "tables", "verify")
    assert verify.returncode == 0 and "All tables are present and active" in verify.stdout


def test_verify_reports_a_missing_table(make_stack):
    stack = make_stack(local_env())
    Voice(stack).dynamodb.delete_table(TableName="remo-users")
    verify = voicectl(stack, "tables", "verify")
    assert verify.returncode != 0
    assert "✗ remo-users: missing" in verify.stdout
