"""The debtor pages in headless Chromium, as a debtor's phone shows them (contract §16)."""
import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BASE_URL, full_page_screenshot, new_survey

SYMBOLS = {"en": {"USD": "$", "CNY": "CN¥", "JPY": "¥"}, "zh": {"CNY": "¥", "USD": "US$", "JPY": "JP¥"}}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def money(minor, currency, language):
    """What the page must show for `minor` units: grouped, two decimals (none for JPY)."""
    digits = 0 if currency == "JPY" else 2
    whole, fraction = divmod(abs(minor), 10 ** digits)
    text = f"{whole:,}" + (f".{fraction:0{digits}d}" if digits else "")
    return ("-" if minor < 0 else "") + SYMBOLS[language][currency] + text


def day(iso, language):
    date = datetime.date.fromisoformat(iso)
    return f"{date.year}年{date.month}月{date.day}日" if language == "zh" else f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def assert_fits_360(driver):
    scroll_width, inner_width = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert inner_width == 360
    assert scroll_width <= inner_width, f"the page is {scroll_width} px wide on a {inner_width} px screen"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_statement_shows_the_json_statements_figures(driver, api, cases, language):
    case = cases[language]
    statement = api.ok("GET", f"/v1/cases/{case['case_id']}/statement")
    currency = statement["currency"]
    driver.get(BASE_URL + case["statement_path"])
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == ("zh-CN" if language == "zh" else "en")

    balance = statement["balance"]
    for row, key in [("principal", "principal_minor"), ("interest", "interest_minor"), ("fees", "fees_minor"),
                     ("paid", "paid_minor"), ("waived", "waived_minor"), ("outstanding", "balance_minor")]:
        shown = driver.find_element(By.CSS_SELECTOR, f"#balance-{row} td").text
        assert shown == money(balance[key], currency, language), row

    for installment in statement["plan"]["installments"]:
        row = driver.find_element(By.ID, f"installment-{installment['seq']}")
        cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        assert cells[1] == day(installment["due_date"], language)
        assert cells[2] == money(installment["amount_minor"], currency, language)
    paid = driver.find_element(By.ID, "installment-1").get_attribute("class")
    assert "paid-row" in paid
    next_due = [i for i in statement["plan"]["installments"] if i["due_date"] == statement["next_due_date"]][0]
    assert "next" in driver.find_element(By.ID, f"installment-{next_due['seq']}").get_attribute("class").split()

    promises = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "li.promise")]
    assert len(promises) == len(statement["promises"]) == 1
    assert money(statement["promises"][0]["amount_minor"], currency, language) in promises[0]
    assert day(statement["promises"][0]["due_date"], language) in promises[0]

    contact = driver.find_element(By.ID, "contact").text
    assert "+1 212 555 0100" in contact and "help@harbour-collections.example" in contact
    assert "Harbour & Co Collections" in driver.find_element(By.ID, "agency-name").text
    assert "help@harbour-collections.example" in driver.find_element(By.ID, "how-to-dispute").text
    assert_fits_360(driver)
    full_page_screenshot(driver, f"statement-{language}")


def answer(driver, ratings, nps=None, comment=None):
    for field, value in ratings.items():
        driver.find_element(By.CSS_SELECTOR, f"input[name='scores.{field}'][value='{value}']").click()
    if nps is not None:
        Select(driver.find_element(By.ID, "nps")).select_by_value(str(nps))
    if comment is not None:
        driver.find_element(By.ID, "comment").send_keys(comment)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_feedback_form_records_an_answer_and_follows_up_a_poor_one(driver, api, cases, language):
    case = cases[language]
    survey = new_survey(api, case["case_id"])
    driver.get(BASE_URL + survey["url"])
    for field in ("communication", "attitude", "resolution"):
        assert driver.find_element(By.CSS_SELECTOR, f"#field-{field} legend").is_displayed()
    assert driver.find_element(By.CSS_SELECTOR, "label[for='nps']").is_displayed()
    assert driver.find_element(By.CSS_SELECTOR, "label[for='comment']").is_displayed()
    assert_fits_360(driver)
    full_page_screenshot(driver, f"feedback-{language}")

    comment = "太多电话了 <b>&</b>" if language == "zh" else "Too many calls <b>&</b>"
    answer(driver, {"communication": 2, "attitude": 4, "resolution": 3}, nps=5, comment=comment)
    assert driver.find_element(By.TAG_NAME, "h1").text == ("谢谢您" if language == "zh" else "Thank you")
    assert driver.find_element(By.ID, "follow-up").is_displayed()
    assert_fits_360(driver)

    recorded = [f for f in api.ok("GET", f"/v1/feedback?case_id={case['case_id']}&limit=200")["data"]]
    mine = [f for f in recorded if f["comment"] == comment]
    assert len(mine) == 1
    assert mine[0]["scores"] == {"communication": 2, "attitude": 4, "resolution": 3} and mine[0]["nps"] == 5
    follow_ups = api.ok("GET", "/v1/followups?status=open&limit=200")["data"]
    assert any(u["feedback_id"] == mine[0]["id"] for u in follow_ups)

    # The used link: the friendly page, status 410, saying the answer is in.
    driver.get(BASE_URL + survey["url"])
    assert driver.find_element(By.TAG_NAME, "h1").text == ("谢谢，我们已收到您的反馈" if language == "zh" else "Thank you, we have your answer")
    assert api.status_of(survey["url"]) == 410
    assert_fits_360(driver)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_missing_rating_is_shown_next_to_its_field(driver, api, cases, language):
    survey = new_survey(api, cases[language]["case_id"])
    driver.get(BASE_URL + survey["url"])
    answer(driver, {"communication": 5, "resolution": 4}, comment="x" * 2001)
    error = driver.find_element(By.CSS_SELECTOR, "#field-attitude .error")
    assert error.is_displayed()
    assert error.text == ("请选择 1 到 5 的评分。" if language == "zh" else "Please choose a rating from 1 to 5.")
    assert driver.find_element(By.CSS_SELECTOR, "#field-comment .error").is_displayed()
    assert not driver.find_elements(By.CSS_SELECTOR, "#field-communication .error")
    assert driver.find_element(By.CSS_SELECTOR, "input[name='scores.communication'][value='5']").is_selected()
    assert driver.find_element(By.ID, "comment").get_attribute("value") == "x" * 2001
    assert driver.find_element(By.ID, "error-summary").is_displayed()
    assert_fits_360(driver)
    if language == "zh":
        full_page_screenshot(driver, "feedback-errors-zh")
    # Nothing was recorded: the survey still opens.
    assert api.status_of(survey["url"]) == 200


def test_an_unknown_link_is_a_friendly_404(driver):
    driver.get(BASE_URL + "/p/s/no-such-link")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Link not found"
    assert_fits_360(driver)
