"""Hardening that every response carries: the Content-Security-Policy (no inline script on our pages), and the
headers Django adds (frames, referrer, content type)."""

import pytest

from courses.models import ProgrammePage

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_public_pages_run_only_our_own_scripts_even_from_the_cache(client, demo):
    programme = ProgrammePage.objects.get(slug="migrant-workers-rights-asia", locale__language_code="en")
    first = client.get(programme.url)
    again = client.get(programme.url)
    assert again["X-Page-Cache"] == "hit"
    for response in (first, again):
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "'self'" not in policy["frame-src"]  # only the video sites of the CMS's embeds
        assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_have_the_same_policy(client, organiser):
    client.force_login(organiser)
    response = client.get("/en/organise/cohorts/")
    assert response.status_code == 200
    assert _policy(response)["script-src"] == ["'self'"]


def test_the_editor_has_its_own_policy_with_its_inline_scripts_and_nothing_from_elsewhere(client, organiser):
    client.force_login(organiser)
    response = client.get("/cms/")
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the editor's preview frames our pages
    assert policy["object-src"] == ["'none'"]


def test_media_on_a_bucket_may_be_shown(monkeypatch):
    from attache.settings.env import media_origins_from_env

    assert media_origins_from_env({}) == []
    assert media_origins_from_env({"MEDIA_S3_BUCKET": "b", "MEDIA_S3_CUSTOM_DOMAIN": "cdn.example.org"}) == [
        "https://cdn.example.org"
    ]
    assert media_origins_from_env({"MEDIA_S3_BUCKET": "b", "AWS_S3_ENDPOINT_URL": "https://s3.example.org:9000/x"}) == [
        "https://s3.example.org:9000"
    ]
    # On AWS, this bucket's addresses, never every bucket's.
    assert media_origins_from_env({"MEDIA_S3_BUCKET": "attache-media"}) == ["https://attache-media.s3.amazonaws.com"]
    assert media_origins_from_env({"MEDIA_S3_BUCKET": "m", "AWS_S3_REGION_NAME": "eu-west-3"}) == [
        "https://m.s3.eu-west-3.amazonaws.com",
        "https://s3.eu-west-3.amazonaws.com",
    ]


def test_a_session_expires_after_twelve_hours(client):
    from tests.factories import PASSWORD, UserFactory

    user = UserFactory()  # with a verified address
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"]["httponly"]
    session = client.session  # a browser-session cookie, and on the server no longer than 12 hours
    assert session.get_expire_at_browser_close() and session.get_expiry_age() == 12 * 60 * 60
