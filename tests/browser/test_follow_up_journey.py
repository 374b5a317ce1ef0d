"""An alumnus answers the 6-month follow-up on a phone, in Arabic: their action plan comes back to them."""

import pytest
from django.core.management import call_command

from evaluations.models import Response, Survey
from tests.browser.conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("seed_demo", verbosity=0)
    return live_server.url


def test_an_alumnus_answers_the_six_month_follow_up_on_a_phone_in_arabic(site, browser, screenshot):
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site, "alumni@example.org", language="ar")

    page.goto(f"{site}/ar/questionnaires/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name="المتابعة: ما الذي تغيّر منذ التدريب").click()
    page.get_by_role("heading", name="المتابعة: ما الذي تغيّر منذ التدريب").wait_for()
    first_action = page.locator("#q-action_plan-action-0")
    assert first_action.input_value() == "Set up a referral desk for domestic workers at the embassy"
    page.locator("#q-action_plan-status-0").select_option("done")
    page.locator("#q-action_plan-status-1").select_option("blocked")
    page.locator("#q-action_plan-note-1").fill("بانتظار موافقة الوزارة")
    page.locator("#q-applied").fill("أحلنا ثلاث حالات إلى النقابة")
    peers = page.locator("input[name=q-ties_referral]")
    assert peers.count() >= 30
    peers.first.check()
    screenshot(page, "follow-up-phone-ar")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="إرسال إجاباتي").click()
    page.get_by_role("heading", name="شكرًا").wait_for()

    survey = Survey.objects.get(cohort__session__slug="bangkok-past", instrument__slug="follow-up", status="open")
    response = Response.objects.get(survey=survey, respondent__email="alumni@example.org")
    assert response.submitted
    plan = response.answers["action_plan"]
    assert [item["status"] for item in plan] == ["done", "blocked"]
    assert plan[1]["note"] == "بانتظار موافقة الوزارة"
    assert len(response.answers["ties_referral"]) == 1
    context.close()
