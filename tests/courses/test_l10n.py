"""Time zones by name and lists joined in the reader's language (courses.l10n and its template filters)."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from courses.forms import SessionPageForm
from courses.l10n import format_list, join_parts, time_zone_choices, time_zone_name
from courses.models import SessionPage

IANA_ID = re.compile(r"\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b")
JANUARY, JULY = datetime.date(2027, 1, 15), datetime.date(2027, 7, 15)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load attache_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Malaysia Time, GMT+8"),
        ("ar", "توقيت ماليزيا، غرينتش+8"),
        ("fr", "heure : Malaisie, UTC+8"),
    ],
)
def test_a_time_zone_is_named_by_its_country_and_offset_in_the_readers_language(language, expected):
    assert time_zone_name("Asia/Kuala_Lumpur", on=JANUARY, language=language) == expected
    with translation.override(language):
        assert time_zone_name("Asia/Kuala_Lumpur", on=JANUARY) == expected
    assert render("{{ zone|zone_name:day }}", language, zone="Asia/Kuala_Lumpur", day=JANUARY) == expected


def test_the_offset_is_the_one_in_force_on_the_day_summer_time_included():
    assert time_zone_name("Europe/Paris", on=JANUARY, language="en") == "France Time, GMT+1"
    assert time_zone_name("Europe/Paris", on=JULY, language="en") == "France Time, GMT+2"
    moment = datetime.datetime(2027, 7, 15, 22, 30, tzinfo=datetime.UTC)
    assert time_zone_name("America/New_York", on=moment, language="fr") == "heure : États-Unis, UTC-4"
    assert time_zone_name("Asia/Kathmandu", on=JULY, language="ar") == "توقيت نيبال، غرينتش+5:45"


@pytest.mark.parametrize("language", ["en", "ar", "fr"])
@pytest.mark.parametrize(
    "zone", ["Asia/Kuala_Lumpur", "Asia/Amman", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5", "Asia/Calcutta"]
)
def test_no_time_zone_shows_its_iana_id(zone, language):
    name = time_zone_name(zone, on=JULY, language=language)
    assert name and zone not in name and not IANA_ID.search(name) and "_" not in name


def test_utc_and_zones_of_no_country_read_as_names_or_offsets():
    assert time_zone_name("UTC", language="en") == "Coordinated Universal Time"
    assert time_zone_name("UTC", language="ar") == "التوقيت العالمي المنسق"
    assert time_zone_name("Etc/GMT+5", language="fr") == "UTC-5"  # POSIX signs: Etc/GMT+5 is five hours behind


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "English, Arabic, and French"),
        ("ar", "الإنجليزية والعربية والفرنسية"),
        ("fr", "anglais, arabe et français"),
    ],
)
def test_lists_are_joined_as_the_language_joins_them(language, expected):
    with translation.override(language):
        from django.utils.translation import gettext

        items = [gettext("English"), gettext("Arabic"), gettext("French")]
    assert format_list(items, language=language).casefold() == expected.casefold()
    assert render("{{ items|list }}", language, items=items).casefold() == expected.casefold()


def test_arabic_lists_use_wa_and_french_lists_et():
    assert format_list(["أ", "ب", "ج"], language="ar") == "أ وب وج"
    assert " et " in format_list(["a", "b", "c"], language="fr") and ", " not in format_list(["a", "b"], language="fr")
    assert format_list([], language="en") == "" and format_list(["a"], language="ar") == "a"


def test_the_list_filter_escapes_each_item_and_isolates_typed_ones():
    html = render("{{ items|isolated|list }}", "ar", items=["ILO <Geneva>", "Tenaganita"])
    assert html == "<bdi>ILO &lt;Geneva&gt;</bdi> و<bdi>Tenaganita</bdi>"
    assert render("{{ items|list }}", "en", items=["<b>", "c"]) == "&lt;b&gt; and c"


def test_an_address_takes_the_languages_comma_and_skips_empty_parts():
    assert join_parts(["Landmark Hotel", "Amman", "", None, "Jordan"], language="en") == "Landmark Hotel, Amman, Jordan"
    assert join_parts(["Landmark Hotel", "Amman", "الأردن"], language="ar") == "Landmark Hotel، Amman، الأردن"
    html = render("{% place venue city country %}", "ar", venue="", city="Kuala Lumpur", country="ماليزيا")
    assert html == "<bdi>Kuala Lumpur</bdi>، <bdi>ماليزيا</bdi>"


@pytest.mark.django_db
def test_the_cms_offers_time_zones_by_name_with_their_id():
    choices = dict(time_zone_choices("fr"))
    assert choices["Asia/Kuala_Lumpur"].startswith("heure : Malaisie (Kuala Lumpur), UTC+8")
    assert choices["Asia/Kuala_Lumpur"].endswith("Asia/Kuala_Lumpur")
    with translation.override("ar"):
        form_class = SessionPage.get_edit_handler().get_form_class()
        assert issubclass(form_class, SessionPageForm)
        field = form_class().fields["time_zone"]
    labels = dict(field.choices)
    assert "توقيت ماليزيا (كوالا لامبور)" in labels["Asia/Kuala_Lumpur"]
