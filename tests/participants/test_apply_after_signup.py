"""Someone new to Attaché who follows a call's Apply link, creates an account and confirms their email lands on the
call's form, not on the home page."""

import re

import pytest
from django.core.management import call_command

from participants.models import Call

pytestmark = pytest.mark.django_db


def test_a_new_applicant_comes_back_to_the_call_form_after_confirming_their_email(client, mailoutbox):
    call_command("seed_demo", verbosity=0)
    call = Call.objects.get(cohort__session__slug="amman-upcoming")
    detail = client.get(f"/en/calls/{call.pk}/")
    signup_url = detail.context["signup_url"]
    page = client.get(signup_url)
    assert page.status_code == 200
    # The form carries the way back (the browser posts what the page holds).
    carried = re.search(r'name="next" value="([^"]+)"', page.content.decode())
    assert carried and carried.group(1) == f"/en/calls/{call.pk}/apply/"
    answer = client.post(signup_url, {"email": "new.applicant@example.org", "password1": "a-long-pass-2026!",
                                      "password2": "a-long-pass-2026!", "next": carried.group(1)})  # fmt: skip
    assert answer.status_code == 302, answer.content[:500]
    link = re.search(r"https?://[^/\s]+(/\S*confirm-email/\S+)", mailoutbox[-1].body).group(1)
    assert client.get(link).status_code == 200
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/en/calls/{call.pk}/apply/"
