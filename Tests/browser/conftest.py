"""Fixtures for the browser tests: a JSON API client for the server that scripts/browser-tests.sh
started (PARLEY_URL, PARLEY_KEY), seeded cases in English and Chinese, and headless Chromium."""
import base64
import datetime
import json
import os
import urllib.error
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

BASE_URL = os.environ["PARLEY_URL"]
API_KEY = os.environ["PARLEY_KEY"]
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR")
TOKENS_FILE = os.environ.get("TOKENS_FILE")


class API:
    """The JSON API, as staff use it."""

    def call(self, method, path, body=None, key=API_KEY, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(BASE_URL + path, data=data, method=method, headers=headers or {})
        if key:
            request.add_header("Authorization", "Bearer " + key)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def ok(self, method, path, body=None):
        status, answer = self.call(method, path, body)
        assert status in (200, 201, 202), f"{method} {path}: {status} {answer}"
        return answer

    @staticmethod
    def status_of(path):
        """The status of a page, without a browser."""
        try:
            with urllib.request.urlopen(BASE_URL + path) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def remember_token(token):
    """The script checks afterwards that no server log line contains any of these."""
    if TOKENS_FILE:
        with open(TOKENS_FILE, "a", encoding="utf-8") as tokens:
            tokens.write(token + "\n")


@pytest.fixture(scope="session")
def api():
    return API()


def seed_case(api, *, name, language, timezone, creditor, ref, currency, principal, interest, fees):
    """A debtor and a case with a promise, a three-instalment plan and the first instalment paid."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    debtor = api.ok("POST", "/v1/debtors", {"name": name, "timezone": timezone, "language": language})
    case = api.ok("POST", "/v1/cases", {
        "debtor_id": debtor["id"], "creditor": creditor, "external_ref": ref, "currency": currency,
        "principal_minor": principal, "interest_minor": interest, "fees_minor": fees,
        "delinquent_since": (today - datetime.timedelta(days=120)).isoformat(), "jurisdiction": "CN" if currency == "CNY" else "US",
    })
    api.ok("POST", f"/v1/cases/{case['id']}/promises", {
        "amount_minor": 50000, "due_date": (today + datetime.timedelta(days=5)).isoformat()})
    plan = api.ok("POST", f"/v1/cases/{case['id']}/plans", {
        "installment_count": 3, "frequency": "monthly", "first_due_date": (today + datetime.timedelta(days=10)).isoformat()})
    first = plan["installments"][0]["amount_minor"]
    status, answer = api.call("POST", f"/v1/cases/{case['id']}/payments",
                              {"amount_minor": first, "currency": currency, "method": "bank_transfer"},
                              headers={"Idempotency-Key": "seed-" + ref})
    assert status == 201, answer
    link = api.ok("POST", f"/v1/cases/{case['id']}/portal-links")
    remember_token(link["url"].rsplit("/", 1)[-1])
    return {"case_id": case["id"], "statement_path": link["url"], "language": language}


@pytest.fixture(scope="session")
def cases(api):
    return {
        "en": seed_case(api, name="Pat Doe", language="en-US", timezone="America/New_York", creditor="Harbor Bank & Trust",
                        ref="HB-20417", currency="USD", principal=100000, interest=20000, fees=3456),
        "zh": seed_case(api, name="李伟", language="zh-CN", timezone="Asia/Shanghai", creditor="华信银行信用卡中心",
                        ref="HX-778", currency="CNY", principal=1250000, interest=30000, fees=5000),
    }


def new_survey(api, case_id):
    survey = api.ok("POST", f"/v1/cases/{case_id}/surveys", {})
    remember_token(survey["token"])
    return survey


@pytest.fixture(scope="session")
def driver():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    # A phone: 360 CSS pixels wide at twice the density, so screenshots are sharp.
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 360, "height": 780, "pixelRatio": 2.0}})
    browser = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


def full_page_screenshot(browser, name):
    """The whole page (not only the viewport) as Docs/screenshots/<name>.png, when asked for."""
    if not SCREENSHOT_DIR:
        return
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    with open(os.path.join(SCREENSHOT_DIR, name + ".png"), "wb") as file:
        file.write(base64.b64decode(shot["data"]))
