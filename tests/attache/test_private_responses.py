"""What a signed-in person is sent is theirs: no cache on the way (a proxy, a shared computer's browser) may keep
it. Every answer to a signed-in request is `Cache-Control: private, no-store` and varies on the cookie, unless its
view opted out; anonymous public pages stay in the shared page cache."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests.attache.test_permission_matrix import table, world  # noqa: F401  (the demo, one person per role)

pytestmark = pytest.mark.django_db

PROGRAMME = "/en/programmes/migrant-workers-rights-asia/"


@pytest.mark.parametrize("role", ["organiser", "participant"])
def test_every_page_a_signed_in_person_gets_is_kept_by_no_cache(world, role):  # noqa: F811
    people, values = world
    client = Client()
    client.force_login(people[role])
    missing, seen = [], 0
    for row in table():
        url = row["url"].format(**values)
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        directives = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}
        if "no-store" not in directives or "private" not in directives or "Cookie" not in response.get("Vary", ""):
            missing.append(f"{url}: Cache-Control {response.get('Cache-Control')!r}, Vary {response.get('Vary')!r}")
    assert seen > 10
    assert not missing, f"{len(missing)} of {seen} pages:\n" + "\n".join(missing)


def test_an_anonymous_public_page_is_still_in_the_page_cache(client, demo):
    first = client.get(PROGRAMME)
    assert first["X-Page-Cache"] == "miss" and "no-store" not in first.get("Cache-Control", "")
    assert client.get(PROGRAMME)["X-Page-Cache"] == "hit"
    # A signed-in visit in between neither reads nor spoils it.
    client.force_login(get_user_model().objects.get(email="trainer@example.org"))
    signed_in = client.get(PROGRAMME)
    assert "X-Page-Cache" not in signed_in and "no-store" in signed_in["Cache-Control"]
    client.logout()
    again = client.get(PROGRAMME)
    assert again["X-Page-Cache"] == "hit" and "no-store" not in again.get("Cache-Control", "")


def _signed_in(user):
    request = RequestFactory().get("/en/somewhere/")
    request.user = user
    return request


def test_what_a_view_said_itself_is_kept_and_an_opt_out_is_respected(db):
    from attache.middleware import PrivateWhenSignedInMiddleware, cache_control_allowed
    from tests.factories import UserFactory

    user = UserFactory()

    def answer(cache_control=None):
        def view(request):
            response = HttpResponse("x")
            if cache_control:
                response["Cache-Control"] = cache_control
            return response

        return view

    def through(view):
        return PrivateWhenSignedInMiddleware(view)(_signed_in(user))

    assert through(answer())["Cache-Control"] == "private, no-store"
    assert through(answer("no-cache"))["Cache-Control"] == "no-cache"
    assert through(answer("private, max-age=60"))["Cache-Control"] == "private, max-age=60"
    # A public answer is not for a signed-in person unless the view says so.
    public = through(answer("public, max-age=3600"))["Cache-Control"]
    assert "public" not in public and "max-age=3600" not in public and "no-store" in public
    assert through(cache_control_allowed(answer("public, max-age=3600")))["Cache-Control"] == "public, max-age=3600"
    assert "Cache-Control" not in through(cache_control_allowed(answer()))
