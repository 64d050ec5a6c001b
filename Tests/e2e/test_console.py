"""The web console (web/, served by nginx at /console/) in headless Chromium
against the real stack in local mode: sign-in, agents, a test call watched live,
call history, a call's transcript and recording, analytics. DynamoDB is read with
boto3; the browser is Debian's chromium driven by its chromedriver. Screenshots go
to $E2E_ARTIFACTS_DIR/console (default .artifacts/console in the checkout).

The tests share one stack and one browser and run in order, as a person would
go: the agent created in one is the one the test call uses."""
import os
import subprocess
import sys

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ROOT, module_stack, wait_until
from voice_helpers import API_KEY, Voice, local_env

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = os.path.join(os.environ.get("E2E_ARTIFACTS_DIR") or os.path.join(ROOT, ".artifacts"), "console")
HOSTILE = "<img src=x onerror=alert(1)>"
AGENT = "console-test-001"


@pytest.fixture(scope="module")
def voice(request, tmp_path_factory):
    return Voice(module_stack(request, tmp_path_factory, local_env()))


@pytest.fixture(scope="module")
def browser():
    # The system's chromedriver, named: Selenium Manager must not look for (or download) one.
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    os.makedirs(ARTIFACTS, exist_ok=True)
    yield driver
    driver.quit()


class Console:
    """The console in the browser, as a person uses it."""

    def __init__(self, driver, voice):
        self.driver = driver
        self.voice = voice
        self.url = voice.stack.url + "/console/"

    def wait(self, condition, timeout=30, what="the page"):
        # The pages re-render as data arrives: an element read a moment ago may be gone.
        return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda driver: condition(), message=f"waiting for {what}")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css):
        return self.wait(lambda: next((e for e in self.finds(css) if e.is_displayed()), None), what=css)

    def click(self, css):
        """Clicks `css` once it is there, again if the page replaced it meanwhile."""
        def clicked():
            self.find(css).click()
            return True
        self.wait(clicked, what=f"{css} to click")

    def text_of(self, css):
        return [e.text for e in self.finds(css)]

    def go(self, route):
        self.driver.get(self.url + "#/" + route)

    def sign_in(self, key=API_KEY):
        if not self.driver.current_url.startswith(self.url):
            self.driver.get(self.url)
        if self.find("#nav").is_displayed():
            return
        field = self.visible("#api-key")
        field.clear()
        field.send_keys(key)
        self.find("#sign-in-form button[type=submit]").click()

    def screenshot(self, name):
        self.driver.save_screenshot(os.path.join(ARTIFACTS, f"{name}.png"))

    def severe_log(self):
        """SEVERE entries of the browser log since the last read (reading empties it)."""
        return [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def assert_no_console_errors(self):
        errors = self.severe_log()
        assert not errors, f"browser console errors: {errors}"

    def assert_no_alert(self):
        try:
            alert = self.driver.switch_to.alert
        except NoAlertPresentException:
            return
        text = alert.text
        alert.dismiss()
        raise AssertionError(f"a script ran from the page's data: alert({text!r})")


@pytest.fixture
def console(browser, voice):
    return Console(browser, voice)


def stored_agent(voice, agent_id):
    return voice.ddb.Table("VoiceAssistant_Agents").get_item(Key={"agent_id": agent_id}, ConsistentRead=True).get("Item")


def test_served_by_nginx_with_headers_that_allow_only_itself(voice):
    redirect = requests.get(voice.stack.url + "/console", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith("/console/")
    page = requests.get(voice.stack.url + "/console/", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "connect-src 'self'" in policy
    # Recordings come from S3 through presigned links: here the emulator's origin, nothing else.
    assert f"media-src http://127.0.0.1:{voice.stack.env['LOCAL_AWS_PORT']};" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["Cache-Control"] == "no-cache"
    assert "<script type=\"module\" src=\"js/app.js\">" in page.text and "<script>" not in page.text
    script = requests.get(voice.stack.url + "/console/js/app.js", timeout=10)
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert requests.get(voice.stack.url + "/console/mode.json", timeout=10).json() == {"local_twilio": True}


def test_outside_local_mode_the_console_offers_no_simulator_and_plays_media_from_the_s3_endpoint(make_stack):
    stack = make_stack({"AWS_ENDPOINT_URL_S3": "https://s3.example.test:8443/ignored/path"})
    policy = requests.get(stack.url + "/console/", timeout=10).headers["Content-Security-Policy"]
    assert "media-src https://s3.example.test:8443;" in policy
    assert requests.get(stack.url + "/console/mode.json", timeout=10).json() == {"local_twilio": False}
    refused = requests.post(stack.url + "/console/sim/scenarios", json={"to": "+15550100123", "lines": []}, timeout=10)
    assert refused.status_code == 404


def render_policy(tmp_path, s3_endpoint):
    """The console's Content-Security-Policy as scripts/render.py writes it for an S3 endpoint."""
    env = dict(os.environ, VAR_DIR=str(tmp_path), BIN_DIR=os.path.join(ROOT, ".build", "release"), HTTP_PORT="8080",
               MAX_BODY_BYTES="1048576", VENV=os.path.join(ROOT, ".venv"), LOCAL_AWS="false", LOCAL_TWILIO="false",
               S3_ENDPOINT_URL=s3_endpoint)
    result = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "render.py")], env=env,
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return result.stderr
    with open(tmp_path / "conf" / "nginx.conf") as handle:
        return next(line for line in handle if "Content-Security-Policy" in line)


def test_on_aws_recordings_play_from_s3_and_a_malformed_endpoint_is_refused(tmp_path):
    assert "media-src https://*.amazonaws.com;" in render_policy(tmp_path, "")
    assert "is not an http(s) URL" in render_policy(tmp_path, "http://evil.test'; script-src *")


def test_a_wrong_key_shows_an_error_and_loads_nothing_then_the_right_one_signs_in(console):
    console.driver.get(console.url)
    console.sign_in("not-the-key")
    error = console.visible("#sign-in-error")
    assert "refused" in error.text
    assert not console.find("#page").is_displayed() and not console.find("#nav").is_displayed()
    assert console.driver.execute_script("return sessionStorage.length") == 0
    console.screenshot("01-wrong-key")
    # The one error in the browser's log is the refused check itself.
    errors = console.severe_log()
    assert len(errors) == 1 and "/sessions" in errors[0]["message"] and "401" in errors[0]["message"], errors

    console.sign_in()
    console.wait(lambda: console.finds("#agents tr[data-agent-id='customer-support-001']"), what="the seed agents")
    assert not console.find("#sign-in").is_displayed()
    assert console.find("#nav-test-call").is_displayed()  # local mode
    console.screenshot("02-agents")
    console.assert_no_console_errors()


def test_agents_are_created_from_the_form_and_from_json_edited_and_deactivated(console, voice):
    console.sign_in()
    console.go("agents/new")
    form = console.visible("#agent-form")
    values = {"agent_id": AGENT, "name": "Console Test", "prompt": "You are Alex, taking short messages.",
              "greeting": "Hi, this is Alex from the console test."}
    for name, value in values.items():
        form.find_element(By.NAME, name).send_keys(value)
    console.click("#add-field")
    row = console.finds("#data-to-fill .field")[-1]
    row.find_element(By.CSS_SELECTOR, ".name").send_keys("name")
    row.find_element(By.CSS_SELECTOR, ".prompt").send_keys("May I have your name?")
    console.screenshot("03-new-agent")
    console.click("#save-agent")
    console.wait(lambda: console.finds(f"#agents tr[data-agent-id='{AGENT}']"), what="the new agent in the list")
    item = wait_until(lambda: stored_agent(voice, AGENT), what="the agent in DynamoDB")
    assert item["name"] == "Console Test" and item["status"] == "active" and item["language"] == "en-US"
    assert item["greeting"] == values["greeting"] and item["data_to_fill"]["name"]["prompt"] == "May I have your name?"

    # Edit: a new name and a pattern on the field.
    console.click(f"#agents tr[data-agent-id='{AGENT}'] a")
    name = console.visible("#agent-form input[name=name]")
    assert name.get_attribute("value") == "Console Test"
    assert console.find("#agent-form input[name=agent_id]").get_attribute("readonly") is not None
    name.clear()
    name.send_keys("Console Test (edited)")
    console.find("#data-to-fill .field .pattern").send_keys("^[A-Za-z <>=()/.1]+$")
    console.click("#save-agent")
    console.wait(lambda: console.finds(f"#agents tr[data-agent-id='{AGENT}']"), what="the list after the edit")
    item = wait_until(lambda: (lambda a: a if a["name"] == "Console Test (edited)" else None)(stored_agent(voice, AGENT)),
                      what="the edit in DynamoDB")
    assert item["data_to_fill"]["name"]["validation_pattern"] == "^[A-Za-z <>=()/.1]+$" and item["updated_at"] > item["created_at"]

    # A bad agent: the API's reason is shown and nothing is written.
    console.go("agents/new")
    pasted = console.visible("#agent-json")
    pasted.send_keys('{"agent_id": "console-bad-001", "name": "Bad", "prompt": "p", "voice": "Polly.Joanna", "language": "english"}')
    console.click("#agent-json-form button")
    assert "language" in console.visible(".error").text
    assert stored_agent(voice, "console-bad-001") is None
    # The browser logs the refused POST itself as a network error; nothing else.
    errors = console.severe_log()
    assert len(errors) == 1 and "/agents - Failed to load resource" in errors[0]["message"], errors

    # Pasted JSON, then deactivated from the list.
    pasted = console.find("#agent-json")
    pasted.clear()
    pasted.send_keys('{"agent_id": "console-json-001", "name": "From JSON", "prompt": "Take a message.", '
                     '"voice": "Polly.Joanna", "language": "en-GB", "greeting": "Hello!", "data_to_fill": {}}')
    console.click("#agent-json-form button")
    console.wait(lambda: console.finds("#agents tr[data-agent-id='console-json-001']"), what="the pasted agent")
    assert wait_until(lambda: stored_agent(voice, "console-json-001"))["language"] == "en-GB"
    console.click("#agents tr[data-agent-id='console-json-001'] button.deactivate")
    console.wait(lambda: console.find("#agent-status").get_attribute("value") == "inactive"
                 and console.finds("#agents tr[data-agent-id='console-json-001'] button.activate"), what="the inactive list")
    assert wait_until(lambda: stored_agent(voice, "console-json-001")["status"] == "inactive", what="inactive in DynamoDB")
    console.screenshot("04-inactive-agents")
    console.assert_no_console_errors()


def test_live_calls_refresh_and_one_is_followed_as_it_happens(console, voice):
    console.sign_in()
    console.go("live")
    console.visible("#live-updated")
    sid = voice.live_call("customer-support-001", "+15550100711", [HOSTILE])
    # The call began after the page loaded: the list's refresh brings it.
    console.wait(lambda: console.finds(f"#live-calls a[href='#/live/{sid}']"), what="the live call in the list")
    console.screenshot("05-live-calls")
    console.click(f"#live-calls a[href='#/live/{sid}']")
    console.wait(lambda: HOSTILE in console.text_of("#live-transcript .content"), what="the caller's line")
    assert not console.finds("#live-transcript img")
    console.assert_no_alert()
    voice.hang_up(sid)
    console.wait(lambda: console.find("#call-state").text.startswith("Ended"), timeout=60, what="the end of the call")
    console.assert_no_console_errors()


@pytest.fixture(scope="module")
def test_call():
    """What the test call left for the tests after it: its SID and final record."""
    return {}


def test_a_test_call_is_watched_live_then_opened_with_its_transcript_and_recording(console, voice, test_call):
    console.sign_in()
    console.go("test-call")
    form = console.visible("#test-call-form")
    Select(form.find_element(By.NAME, "agent_id")).select_by_value(AGENT)
    to = form.find_element(By.NAME, "to")
    to.clear()
    to.send_keys("+15550100777")
    lines = form.find_element(By.NAME, "lines")
    lines.clear()
    lines.send_keys(f"My name is {HOSTILE}\nNothing else\nThat's all, bye!")
    # Two seconds before each line: long enough to see the call in progress.
    pause = form.find_element(By.NAME, "pause")
    pause.clear()
    pause.send_keys("2")
    console.click("#place-call")
    sid = console.visible("#test-call-sid").text
    assert sid.startswith("CA")
    # Live: the greeting while the call goes on.
    console.wait(lambda: console.find("#call-state").text.startswith("In progress")
                 and console.finds("#live-transcript .message.assistant"), what="the greeting, live")
    console.screenshot("06-test-call-live")
    console.wait(lambda: console.find("#call-state").text.startswith("Ended: completed"), timeout=60, what="the end")
    record = voice.final_record(sid)
    test_call.update(sid=sid, record=record)
    assert record["agent_id"] == AGENT and record["recipient_phone"] == "+15550100777"
    assert console.text_of("#live-transcript .content") == [m["content"] for m in record["conversation_history"]]
    assert f"My name is {HOSTILE}" in console.text_of("#live-transcript .content")
    assert not console.finds("#live-transcript img")
    console.screenshot("07-test-call-ended")
    console.assert_no_alert()
    console.assert_no_console_errors()

    console.click("#call-outcome a")
    assert_call_page_shows(console, voice, sid, record)
    console.screenshot("08-call")
    console.assert_no_console_errors()


def assert_call_page_shows(console, voice, sid, record):
    """The call's page: the transcript as DynamoDB holds it, beside its recording, which loads."""
    console.wait(lambda: console.finds("#call-transcript .message"), what="the transcript")
    assert console.text_of("#call-transcript .content") == [m["content"] for m in record["conversation_history"]]
    assert not console.finds("#call-transcript img")
    console.assert_no_alert()
    console.wait(lambda: console.finds("#recording-audio"), timeout=60, what="the recording")
    duration = console.wait(lambda: console.driver.execute_script(
        "const a = document.getElementById('recording-audio');"
        "return a.readyState >= 1 && a.duration > 0 ? a.duration : null;"), what="the audio's metadata")
    assert duration > 0
    assert console.find("#recording-audio").get_attribute("src").startswith(
        f"http://127.0.0.1:{voice.stack.env['LOCAL_AWS_PORT']}/")


def test_the_call_is_found_in_history_with_filters(console, voice, test_call):
    """Needs GET /calls."""
    console.sign_in()
    console.go("calls")
    filters = console.visible("#call-filters")
    filters.find_element(By.NAME, "agent_id").send_keys(AGENT)
    Select(filters.find_element(By.NAME, "status")).select_by_value("completed")
    filters.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    sid = test_call["sid"]
    console.wait(lambda: console.finds(f"#calls tr[data-call-sid='{sid}']"), what="the call in the history")
    assert len(console.finds("#calls tbody tr[data-call-sid]")) == 1
    console.screenshot("09-history")
    # Another status: not there.
    Select(console.find("#call-filters select[name=status]")).select_by_value("failed")
    console.click("#call-filters button[type=submit]")
    console.wait(lambda: console.find("#calls tbody").text == "No calls match.", what="no failed calls")
    console.driver.back()
    console.wait(lambda: console.finds(f"#calls tr[data-call-sid='{sid}'] a"), what="the history again")
    console.click(f"#calls tr[data-call-sid='{sid}'] a")
    assert_call_page_shows(console, voice, sid, test_call["record"])
    console.assert_no_console_errors()


def test_analytics_count_the_call(console, test_call):
    """Needs GET /analytics."""
    console.sign_in()
    console.go(f"analytics?agent_id={AGENT}")
    section = console.visible(f".agent-analytics[data-agent-id='{AGENT}']")
    totals = section.find_element(By.CSS_SELECTOR, "table.totals tbody tr").find_elements(By.TAG_NAME, "td")
    assert totals[0].text == "1" and totals[1].text == "1"
    day = test_call["record"]["started_at"][:10]
    days = [row.find_elements(By.TAG_NAME, "td")[0].text for row in section.find_elements(By.CSS_SELECTOR, "table.days tbody tr")]
    assert days == [day]
    assert len(section.find_elements(By.CSS_SELECTOR, "svg.chart rect.calls")) == 1
    console.screenshot("10-analytics")
    console.assert_no_console_errors()


def test_the_agent_called_is_deactivated_and_no_longer_offered_for_a_test_call(console, voice):
    console.sign_in()
    console.go("agents")
    console.click(f"#agents tr[data-agent-id='{AGENT}'] button.deactivate")
    console.wait(lambda: console.find("#agent-status").get_attribute("value") == "inactive"
                 and console.finds(f"#agents tr[data-agent-id='{AGENT}']"), what="the agent in the inactive list")
    assert wait_until(lambda: stored_agent(voice, AGENT)["status"] == "inactive", what="inactive in DynamoDB")
    console.go("test-call")
    offered = [o.get_attribute("value") for o in console.visible("#test-call-form select[name=agent_id]")
               .find_elements(By.TAG_NAME, "option")]
    assert AGENT not in offered and "customer-support-001" in offered
    console.assert_no_console_errors()
