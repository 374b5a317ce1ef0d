"""An invitee opens their personal link on a phone, in Arabic, creates an account and registers."""

import re

import pytest
from django.core.management import call_command

from participants.models import Cohort, Registration
from participants.notifications import invitation_url
from participants.services import invite_person
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("seed_demo", verbosity=0)
    return live_server.url


def test_an_invitee_registers_on_a_phone_in_arabic(site, browser, mailoutbox, screenshot):
    cohort = Cohort.objects.get(session__slug="amman-upcoming", session__locale__language_code="en")
    invitation = invite_person(cohort=cohort, email="rania.khoury@example.org", intended_sector="civil_society",
                               invited_by=None, full_name="Rania Khoury", language="ar")  # fmt: skip
    link = site + invitation_url(invitation).split("8000", 1)[1]
    page = browser.new_context(viewport=PHONE, locale="ar").new_page()

    page.goto(link)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("heading", name="أنت مدعو").wait_for()
    screenshot(page, "invitation-phone-ar")
    page.get_by_role("link", name="إنشاء حسابي").click()
    assert page.locator("#id_email").input_value() == "rania.khoury@example.org"
    page.locator("#id_password1").fill("a-strong-pass-2026")
    page.locator("#id_password2").fill("a-strong-pass-2026")
    page.locator("main button[type=submit]").click()

    page.get_by_role("heading", name="التسجيل").wait_for()  # straight to the form: no second verification email
    assert mailoutbox == [] or all("confirm-email" not in m.body for m in mailoutbox)
    page.get_by_role("textbox", name=re.compile("الاسم بلغته الأصلية")).fill("رانيا خوري")
    page.get_by_label(re.compile("^منظمة")).select_option(label="Mashreq Migrant Solidarity (MMS)")
    page.get_by_label(re.compile("^الجنسية")).select_option(value="LB")
    page.get_by_label("أحتاج إلى رسالة دعوة للحصول على التأشيرة").check()
    screenshot(page, "registration-form-phone-ar")
    page.get_by_role("button", name="إرسال تسجيلي").click()

    page.get_by_text("تم تأكيد مكانك.").wait_for()
    screenshot(page, "registration-confirmed-phone-ar")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    registration = Registration.objects.get(user__email="rania.khoury@example.org")
    assert (registration.status, registration.sector, registration.language) == ("confirmed", "civil_society", "ar")
    assert registration.user.profile.native_name == "رانيا خوري"


def test_an_invitee_declines_by_mistake_reopens_and_registers_on_a_phone(site, browser, screenshot):
    """'I cannot come' is a link away from the form's button and asks first; the declined link offers to reopen."""
    from tests.browser.test_organiser_settings_journey import axe_violations

    cohort = Cohort.objects.get(session__slug="amman-upcoming", session__locale__language_code="en")
    invitation = invite_person(cohort=cohort, email="omar.haddad@example.org", intended_sector="civil_society",
                               invited_by=None, full_name="Omar Haddad", language="ar")  # fmt: skip
    link = site + invitation_url(invitation).split("8000", 1)[1]
    context = browser.new_context(viewport=PHONE, locale="ar", bypass_csp=True)  # axe is an inline script
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(link)
    page.get_by_role("link", name="لا أستطيع الحضور").click()
    page.get_by_role("heading", name="هل تعتذر عن الدعوة؟").wait_for()
    screenshot(page, "invitation-decline-question-phone-ar")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="نعم، لا أستطيع الحضور").click()

    page.get_by_role("heading", name="لقد اعتذرت عن هذه الدعوة").wait_for()  # the link still answers, with a way back
    screenshot(page, "invitation-declined-phone-ar")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="إعادة فتح دعوتي").click()

    page.get_by_role("heading", name="أنت مدعو").wait_for()
    page.get_by_role("link", name="إنشاء حسابي").click()
    page.locator("#id_password1").fill("a-strong-pass-2026")
    page.locator("#id_password2").fill("a-strong-pass-2026")
    page.locator("main button[type=submit]").click()
    page.get_by_role("heading", name="التسجيل").wait_for()
    assert page.locator("main form[enctype] button[type=submit]").count() == 1  # no twin of the submit button
    page.get_by_label(re.compile("^منظمة")).select_option(label="Mashreq Migrant Solidarity (MMS)")
    page.get_by_label(re.compile("^الجنسية")).select_option(value="LB")
    page.get_by_role("button", name="إرسال تسجيلي").click()
    page.locator("main [role=status]").wait_for()
    registration = Registration.objects.get(user__email="omar.haddad@example.org")
    assert registration.status in ("confirmed", "waitlisted", "registered")
    context.close()
