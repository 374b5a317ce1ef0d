"""No input gives a 500: control characters in a link or a form get a 400 that says why, and hostile query strings
(hypothesis) on every row of the permission matrix, as several roles, get a page, a redirect or a 4xx.

The test client raises what a view raises (`raise_request_exception`), so an exception fails the test like a 500.
Each route runs with its own fixed seed and no example database: a failure found in CI is found again locally.
"""

from __future__ import annotations

import zlib
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from tests.attache.test_permission_matrix import table, world  # noqa: F401  (the demo, one person per role)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "alumnus", "organiser"]
# The parameters our views read (courses/views.py, participants/*views.py, evaluations/*views.py) and the CMS's.
NAMES = ["q", "page", "sector", "country", "status", "kind", "day", "date", "language", "next", "invitations",
         "rejected", "with", "people", "p", "o"]  # fmt: skip
VALUES = ["-1", "0", "99999999999999999999", "1e309", "nan", "2024-02-30", "99999-12-31", "0000-00-00", "ZZ",
          "' OR 1=1 --", "\"; DROP TABLE participants_registration; --", "%", "\\", "ءاب", "\u202egnp.exe",
          "😀" * 50, "//evil.example/", "javascript:alert(1)", "x" * 5000]  # fmt: skip
# Written as they would arrive: undecodable UTF-8, an overlong NUL, a lone surrogate, broken escapes.
RAW = ["%ff", "%ff=%fe", "%c0%80", "%ed%a0%80", "%", "%zz=%zz", "&&", "==", "q", "+"]


def _quoted(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


# Any script, lone surrogates included; control characters get a 400 before any view (tested below), so the
# generated text leaves them out to reach the views.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cc",)), max_size=40)
PAIR = st.tuples(st.one_of(st.sampled_from(NAMES), ANY_TEXT),
                 st.one_of(st.sampled_from(VALUES), ANY_TEXT, st.integers().map(str)))  # fmt: skip
QUERY = st.lists(st.one_of(PAIR.map(lambda pair: f"{_quoted(pair[0])}={_quoted(pair[1])}"), st.sampled_from(RAW)),
                 min_size=1, max_size=6).map("&".join)  # fmt: skip
# Every route gets these, then a few generated ones (a view reads only some of the names: one query string tries
# them all at once).
EXAMPLES = [
    "q=test%00",
    "page=-1&invitations=-1&day=-1&date=2024-02-30&with=-1&people=-1&kind=%ff&status=%ff&sector=%ff&country=%ff"
    "&language=xx&rejected=1&next=//evil.example/&p=-1&o=-1",
    "page=99999999999999999999&invitations=99999999999999999999&date=99999-12-31&day=99999999999999999999"
    "&with=99999999999999999999&people=99999999999999999999&p=99999999999999999999",
    "q=%27%20OR%201%3D1%20--&page=1e309&sector=%27%3B--&country=%27%3B--&status=%25&kind=%5C&date=%25&next=%5C%5C",
    "q=a&q=b&page=1&page=2&page=x&invitations=1&invitations=2&with=1&with=x&kind=a&kind=b",
    "q=" + "x" * 5000 + "&page=" + "9" * 4000 + "&date=" + "1" * 2000,
    "%ff=%ff&q=%ff&page=%ff&%=%&%zz&q=%c0%80&q=%ed%a0%80",
    "q=" + _quoted("حقوق العمال \u202e 😀 ไทย ខ្មែរ") + "&country=" + _quoted("ประเทศ") + "&page=" + _quoted("٣"),
]
FUZZ = settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _fuzz(client, url):
    joiner = "&" if "?" in url else "?"

    def check(query):
        response = client.get(f"{url}{joiner}{query}")
        assert response.status_code < 500, f"{response.status_code} for {url}{joiner}{query[:300]}"

    run = FUZZ(given(query=QUERY)(check))
    for query in EXAMPLES:
        run = example(query=query)(run)
    return run


def test_hostile_query_strings_on_every_route_give_no_500(world):  # noqa: F811
    people, values = world
    clients = {role: Client() for role in ROLES}
    for role in ROLES[1:]:
        clients[role].force_login(people[role])
    failures = []
    for role in ROLES:
        for row in table():
            url = row["url"].format(**values)
            run = _fuzz(clients[role], url)
            run = seed(zlib.crc32(f"{role} {url}".encode()))(run)
            try:
                run()
            except Exception as error:  # the shrunk example is in the notes hypothesis added
                notes = " ".join(getattr(error, "__notes__", []))
                failures.append(f"{role}: {url}: {type(error).__name__}: {str(error)[:300]} {notes[:300]}")
    assert not failures, f"{len(failures)} failing:\n" + "\n".join(failures)


# Control characters (C0 but TAB, LF and CR) in the query string, the path or a form field: 400, explained.


@pytest.mark.parametrize(
    "url",
    ["/en/search/?q=test%00", "/en/search/?q=%01", "/en/search/?q%00=1", "/en/search/?q=a%1Fb", "/en/search/?page=%0b",
     "/en/search/?q=test\x00", "/en/?q=%00", "/en/programmes/?x=%7f%00", "/healthz?x=%00",
     "/en/organise/countries/T%00H/network/"],
)  # fmt: skip
def test_control_characters_in_a_link_get_400_with_a_reason(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "control character" in response.content.decode()


def test_the_reason_is_in_the_language_of_the_page(client):
    response = client.get("/ar/search/?q=%00")
    assert response.status_code == 400 and response["Content-Language"] == "ar"
    assert "محرف تحكّم" in response.content.decode()
    assert "caractère de contrôle" in client.get("/fr/search/?q=%00").content.decode()


def test_tab_line_feed_carriage_return_and_any_script_are_fine(client, db):
    assert client.get("/en/search/?q=a%09b%0Ac%0Dd").status_code == 200
    assert client.get("/en/search/?q=" + _quoted("حقوق 😀 ไทย")).status_code == 200
    assert client.get("/en/search/?q=%c0%80%ff").status_code == 200  # undecodable: Django reads U+FFFD


@pytest.mark.parametrize("url", ["/en/accounts/login/", "/en/search/"])
@pytest.mark.parametrize("data", [{"login": "a@example.org\x00", "password": "x"}, {"log\x00in": "a", "password": "x"},
                                  {"login": "a@example.org", "password": "\x1b[2J"}])  # fmt: skip
def test_control_characters_in_a_form_get_400(client, db, url, data):
    assert client.post(url, data).status_code == 400  # multipart, as the test client sends forms
    encoded = "&".join(f"{_quoted(key)}={_quoted(value)}" for key, value in data.items())
    assert client.post(url, encoded, content_type="application/x-www-form-urlencoded").status_code == 400


def test_a_file_is_not_read_for_control_characters(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\x00\x01\x02\x1f" * 100, content_type="image/jpeg")
    response = client.post("/en/accounts/login/", {"login": "a@example.org", "password": "x", "photo": upload})
    assert response.status_code not in (400, 500)


# Each 500 the fuzz found, on its own.


def test_a_nul_in_the_search_is_a_400_not_a_500(client, db):
    """The search handed it to the database: SQLite failed with 'unterminated string', PostgreSQL refuses NUL."""
    assert client.get("/en/search/?q=test%00").status_code == 400
    assert client.get("/en/search/?q=test").status_code == 200
