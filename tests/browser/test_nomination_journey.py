"""A focal point opens their personal link on a phone, in Arabic, and nominates someone: no account needed."""

import pytest
from django.core.management import call_command

from participants.models import Call, Nomination
from participants.services import create_nomination_link
from participants.tokens import make_nomination_token
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_focal_point_nominates_someone_on_a_phone_in_arabic(live_server, browser, screenshot):
    call_command("seed_demo", verbosity=0)
    call = Call.objects.get(cohort__session__slug="amman-upcoming")
    organiser = call.cohort.session.owner
    link = create_nomination_link(call=call, organisation_name="وزارة العمل", focal_point_name="سميرة ناصر",
                                  focal_point_email="samira@labour.example", language="ar", max_nominees=2,
                                  by=organiser)  # fmt: skip
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/nominate/{make_nomination_token(link)}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_label("الاسم").fill("ليلى حداد")
    page.locator("input[name=email]").fill("lina.haddad@example.org")
    page.get_by_label("المنصب").fill("Labour inspector")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("ليلى حداد").first.is_visible()
    assert Nomination.objects.get(link=link).email == "lina.haddad@example.org"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    screenshot(page, "nomination-focal-point-phone-ar")
    context.close()
