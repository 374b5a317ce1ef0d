"""An applicant applies to the demo's open call on a phone, in Arabic: saves a draft, comes back, submits."""

import io
import re

import pytest
from django.core.management import call_command

from participants.models import Answer, Application, Call
from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_organiser_settings_journey import axe_violations
from tests.factories import PASSWORD, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MOTIVATION = "أعمل مع العاملات المنزليات في عمّان."


@pytest.fixture
def site(live_server, monkeypatch, tmp_path):
    from django.core.files.storage import FileSystemStorage

    # Application files go to the test's folder (the field holds its storage since start-up).
    monkeypatch.setattr(Answer._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    call_command("seed_demo", verbosity=0)
    return live_server.url


def a_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=300, height=400)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_applicant_saves_a_draft_comes_back_and_submits_on_a_phone_in_arabic(site, browser, mailoutbox, screenshot):
    call = Call.objects.get(cohort__session__slug="amman-upcoming")
    user = person("civil_society", "JO", email="salma.applicant@example.org")
    context = browser.new_context(viewport=PHONE, locale="ar", bypass_csp=True)  # axe is an inline script
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site, user.email, language="ar", password=PASSWORD)

    page.goto(f"{site}/ar/calls/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("heading", name="الدعوات لتقديم الطلبات").wait_for()
    page.locator(f"a[href='/ar/calls/{call.pk}/']").click()
    page.get_by_role("heading", name="من يحق له التقدم").wait_for()
    screenshot(page, "call-phone-ar")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="تقدّم بطلب").click()

    page.get_by_role("heading", name="طلبك").wait_for()
    page.get_by_label(re.compile("^لماذا ترغب في المشاركة")).fill(MOTIVATION)
    page.get_by_label("مجتمع مدني").check()
    screenshot(page, "apply-form-phone-ar")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="حفظ المسودة").click()
    page.get_by_text("حُفظت مسودتك.").wait_for()
    assert Application.objects.get(user=user).status == "draft"

    # Later: from the list of their applications, back to the draft, its answers kept.
    page.goto(f"{site}/ar/applications/")
    page.get_by_text("مسودة لم تُرسل").wait_for()
    page.locator("main a[dir=auto]").first.click()
    page.get_by_role("link", name="متابعة طلبك").click()
    assert page.get_by_label(re.compile("^لماذا ترغب في المشاركة")).input_value() == MOTIVATION
    assert page.get_by_label("مجتمع مدني").is_checked()
    page.get_by_label(re.compile("^سيرتك الذاتية")).set_input_files(
        {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}
    )
    page.get_by_role("button", name="تقديم", exact=True).click()

    page.get_by_text("قُدِّم طلبك.").wait_for()
    screenshot(page, "application-submitted-phone-ar")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    application = Application.objects.get(user=user)
    assert (application.status, application.language) == ("submitted", "ar")
    assert [message.to for message in mailoutbox if "تلقينا طلبك" in message.subject] == [[user.email]]
    context.close()
