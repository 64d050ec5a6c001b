"""The operator's view of a call: GET /calls/{call_sid} answers the record as
DynamoDB holds it and a presigned link that downloads the recording from S3."""
import pytest
import requests

from conftest import module_stack, wait_until
from voice_helpers import API_KEY, Voice, local_env

LINES = ["Hi, my name is John Smith", "john at example dot com", "My internet keeps dropping", "No, that's all. Bye!"]


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    return Voice(module_stack(request, tmp_path_factory, local_env()))


def detail(voice, sid, key=API_KEY):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return requests.get(f"{voice.stack.url}/calls/{sid}", headers=headers, timeout=15)


def test_a_finished_call_reads_as_stored_with_a_link_that_downloads_its_recording(voice):
    voice.scenario("+15550100601", LINES)
    sid = voice.make_call("customer-support-001", "+15550100601").json()["call_sid"]
    voice.call_report(sid)
    voice.final_record(sid)
    record = wait_until(lambda: (lambda r: r if r.get("s3_recording_url") else None)(voice.call_record(sid)),
                        what="the archived recording")
    body = wait_until(lambda: (lambda r: r.json() if r.json().get("recording_presigned_url") else None)(detail(voice, sid)),
                      what="the recording link")
    call = body["call"]
    assert call["call_sid"] == sid and call["status"] == "completed" and body["live"] is False
    assert call["data_collected"] == record["data_collected"]
    assert [m["content"] for m in call["conversation_history"]] == [m["content"] for m in record["conversation_history"]]
    assert body["recording_presigned_url_expires_in"] == 900
    bucket, key = record["s3_recording_url"][len("s3://"):].split("/", 1)
    expected = voice.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    downloaded = requests.get(body["recording_presigned_url"], timeout=15)
    assert downloaded.status_code == 200 and downloaded.content == expected and expected[:4] == b"RIFF"
    # The signature is what grants it: without the query, S3 refuses.
    assert requests.get(body["recording_presigned_url"].split("?")[0], timeout=15).status_code == 403


def test_a_live_call_unknown_calls_and_no_key(voice):
    sid = voice.live_call("customer-support-001", "+15550100602", ["Hello"])
    wait_until(lambda: voice.call_record(sid), what="the record's creation")
    body = detail(voice, sid).json()
    assert body["live"] is True and body["recording_presigned_url"] is None
    voice.hang_up(sid)
    assert detail(voice, "CA" + "0" * 32).status_code == 404
    assert detail(voice, sid, key=None).status_code == 401
    assert detail(voice, sid, key="wrong").status_code == 401
