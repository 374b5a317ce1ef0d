"""English, Arabic (right-to-left) and French: URL prefixes, the switcher, and complete translations."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl"), ("fr", "ltr")])
def test_every_page_declares_its_language_and_direction(client, demo, language, direction):
    response = client.get(f"/{language}/accounts/login/")
    assert f'<html lang="{language}" dir="{direction}">'.encode() in response.content
    stylesheet = b"bootstrap.rtl.min.css" if direction == "rtl" else b"bootstrap.min.css"
    assert stylesheet in response.content


def test_the_root_redirects_to_a_language_prefix(client, demo):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_the_language_switcher_keeps_the_visitor_on_the_same_page(client, demo):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/en/programmes/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/programmes/"
    page = client.get(response["Location"])
    assert b'dir="rtl"' in page.content
    assert "البرامج" in page.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/ar/", "/ar/accounts/login/", "/ar/accounts/signup/", "/ar/programmes/migrant-workers-rights-asia/"],
)
def test_arabic_pages_carry_no_english_interface_text(client, demo, path):
    html = client.get(path).content.decode()
    visible = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    for english in [
        "Sign in",
        "Create an account",
        "Programmes",
        "Skip to main content",
        "Language",
        "Curriculum",
        "Sessions",
        "Objectives",
        "training programmes for labour attachés",
    ]:
        assert english not in visible, f"{english!r} left in English on {path}"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_interface_string_is_translated(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert missing == []
    # The compiled catalogue (what Django reads) must hold the same translations as the source.
    compiled = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    assert {e.msgid: e.msgstr for e in compiled if e.msgid} == {
        e.msgid: e.msgstr for e in catalogue if not e.obsolete and not e.msgid_plural
    } | {e.msgid: e.msgstr for e in compiled if e.msgid_plural}


def test_page_links_keep_the_rest_of_the_query():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(100), 20).get_page(2)
    html = render_to_string("includes/pagination.html", {"page": page, "query": "q=lina&sector=government"})
    assert 'href="?q=lina&amp;sector=government&amp;page=1"' in html and "2 / 5" in html
    assert 'href="?q=lina&amp;sector=government&amp;page=3"' in html
    assert render_to_string("includes/pagination.html", {"page": Paginator(range(5), 20).get_page(1)}).strip() == ""
