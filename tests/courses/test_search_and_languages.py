"""Wagtail search over programmes and modules, and content languages: translations and visible fallbacks."""

import re

import pytest

from courses.models import ModulePage

pytestmark = pytest.mark.django_db
PROGRAMME = "programmes/migrant-workers-rights-asia/"


def test_search_finds_modules_and_programmes_in_the_visitors_language(client, demo):
    response = client.get("/en/search/", {"q": "trafficking"})
    assert response.status_code == 200
    titles = [page.title for page in response.context["results"]]
    assert "Trafficking indicators: telling hard conditions from forced labour" in titles
    assert all(page.locale.language_code == "en" for page in response.context["results"])


def test_search_in_arabic_finds_the_arabic_programme(client, demo):
    response = client.get("/ar/search/", {"q": "حماية"})
    assert [page.locale.language_code for page in response.context["results"]] == ["ar"]
    assert 'dir="rtl"' in response.content.decode()


def test_search_explains_an_empty_query_and_an_empty_result(client, demo):
    assert "Type a word or two" in client.get("/en/search/").content.decode()
    assert "Nothing matches “<bdi>zzzz</bdi>”" in client.get("/en/search/", {"q": "zzzz"}).content.decode()


def test_search_never_lists_unpublished_modules(client, demo):
    module = ModulePage.objects.get(slug="referral", locale__language_code="en")
    module.unpublish()
    titles = [page.title for page in client.get("/en/search/", {"q": "referral"}).context["results"]]
    assert "Referral between embassies and NGOs" not in titles


def test_a_translated_arabic_page_is_right_to_left_without_a_fallback_notice(client, demo):
    html = client.get(f"/ar/{PROGRAMME}").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "حماية حقوق العمال المهاجرين" in html
    assert "لم تُترجم هذه الصفحة" not in html


def test_a_page_not_yet_translated_says_so_visibly(client, demo):
    html = client.get(f"/ar/{PROGRAMME}referral/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "لم تُترجم هذه الصفحة إلى العربية بعد" in html
    assert "Referral between embassies and NGOs" in html
    assert re.search(r'<div class="[^"]*" lang="en">', html)  # the English content is marked as English
    html = client.get(f"/fr/{PROGRAMME}referral/").content.decode()
    assert "Cette page n’est pas encore traduite en français ; elle est affichée en anglais." in html


def test_the_programme_page_says_who_designed_it(client, demo):
    html = client.get(f"/en/{PROGRAMME}").content.decode()
    assert "Developed by <bdi>Centre for Rights Education and Training</bdi> with" in html
    assert "Khmer Workers&#x27; Rights Forum" in html or "Khmer Workers' Rights Forum" in html


def test_wagtail_localize_translates_a_module_into_arabic(client, demo):
    """The CMS path: a translation source is made from the English module, its segments translated, published."""
    from wagtail.models import Locale
    from wagtail_localize.models import StringTranslation, TranslationSource

    module = ModulePage.objects.get(slug="referral", locale__language_code="en")
    arabic = Locale.objects.get(language_code="ar")
    source, _created = TranslationSource.get_or_create_from_instance(module)
    for segment in source.stringsegment_set.select_related("string"):
        if segment.string.data == "Referral between embassies and NGOs":
            StringTranslation.objects.create(
                translation_of=segment.string, locale=arabic, context=segment.context,
                data="الإحالة بين السفارات والمنظمات غير الحكومية",
            )  # fmt: skip
    source.create_or_update_translation(arabic, fallback=True)
    html = client.get(f"/ar/{PROGRAMME}referral/").content.decode()
    assert "الإحالة بين السفارات والمنظمات غير الحكومية" in html
    assert "لم تُترجم هذه الصفحة" not in html  # a real translation now, no fallback notice
