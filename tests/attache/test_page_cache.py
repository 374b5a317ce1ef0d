"""Public pages are cached for anonymous visitors and read again once anything is published; signed-in people,
facilitator notes and private pages never reach the shared cache."""

import pytest
from django.contrib.auth import get_user_model

from courses.models import ModulePage, ProgrammePage

pytestmark = pytest.mark.django_db

PROGRAMME = "/en/programmes/migrant-workers-rights-asia/"
MODULE = PROGRAMME + "recruitment-complaints/"


def test_a_public_page_is_cached_for_anonymous_visitors(client, demo, django_assert_num_queries):
    first = client.get(PROGRAMME)
    assert first["X-Page-Cache"] == "miss" and not first.cookies
    with django_assert_num_queries(0):
        second = client.get(PROGRAMME)
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    for header in ("Content-Type", "Content-Language", "X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options"):
        assert second[header] == first[header], header
    # Each language is its own page.
    assert client.get(PROGRAMME.replace("/en/", "/ar/"))["X-Page-Cache"] == "miss"


def test_publishing_a_page_shows_at_once(client, demo):
    assert client.get(PROGRAMME)["X-Page-Cache"] == "miss"
    assert client.get(PROGRAMME)["X-Page-Cache"] == "hit"
    programme = ProgrammePage.objects.get(slug="migrant-workers-rights-asia", locale__language_code="en")
    programme.title = "A new title for the programme"
    programme.save_revision().publish()
    response = client.get(PROGRAMME)
    assert response["X-Page-Cache"] == "miss" and b"A new title for the programme" in response.content
    # A page that lists it (the home page) is read again too.
    assert b"A new title for the programme" in client.get("/en/").content


def test_unpublishing_or_deleting_a_page_takes_it_off_at_once(client, demo):
    module = ModulePage.objects.get(slug="recruitment-complaints", locale__language_code="en")
    client.get(MODULE)
    assert client.get(MODULE)["X-Page-Cache"] == "hit"
    module.unpublish()
    assert client.get(MODULE).status_code == 404
    module.save_revision().publish()
    client.get(MODULE)
    ModulePage.objects.get(pk=module.pk).delete()
    assert client.get(MODULE).status_code == 404


def test_signed_in_people_neither_read_nor_fill_the_cache(client, demo):
    trainer = get_user_model().objects.get(email="trainer@example.org")
    client.force_login(trainer)
    signed_in = client.get(MODULE)
    assert "X-Page-Cache" not in signed_in
    assert b"Some participants handle live cases" in signed_in.content  # facilitator notes, for trainers
    client.logout()
    anonymous = client.get(MODULE)
    assert anonymous["X-Page-Cache"] == "miss"
    assert b"Some participants handle live cases" not in anonymous.content
    assert b"trainer@example.org" not in anonymous.content
    # And a trainer after an anonymous visitor still gets their own page, with the notes.
    client.force_login(trainer)
    assert b"Some participants handle live cases" in client.get(MODULE).content


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_a_message_waiting_is_not_answered_from_the_cache(client, demo, cookie):
    client.get(PROGRAMME)
    client.cookies[cookie] = "something"
    assert "X-Page-Cache" not in client.get(PROGRAMME)


def test_pages_with_a_query_string_and_private_pages_are_not_cached(client, demo):
    assert "X-Page-Cache" not in client.get(PROGRAMME + "?utm=mail")
    response = client.get("/en/alumni-space/")
    assert response.status_code == 302 and "X-Page-Cache" not in response
    alumnus = get_user_model().objects.get(email="alumni@example.org")
    client.force_login(alumnus)
    assert "private" in client.get("/en/alumni-space/")["Cache-Control"]


def test_the_language_switcher_works_without_a_token_on_a_cached_page(client, demo):
    page = client.get(PROGRAMME).content.decode()
    assert "csrfmiddlewaretoken" not in page
    response = client.post("/i18n/setlang/", {"language": "ar", "next": PROGRAMME})
    assert response.status_code == 302 and response["Location"].startswith("/ar/")
