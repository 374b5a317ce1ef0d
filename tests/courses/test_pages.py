"""The public pages of the demo render in English, Arabic and French."""

import pytest

pytestmark = pytest.mark.django_db

PROGRAMME = "programmes/migrant-workers-rights-asia/"


@pytest.mark.parametrize("language", ["en", "ar", "fr"])
@pytest.mark.parametrize(
    "path", ["", "programmes/", PROGRAMME, PROGRAMME + "recruitment-complaints/", PROGRAMME + "amman-upcoming/"]
)
def test_demo_pages_render_in_every_language(client, demo, language, path):
    response = client.get(f"/{language}/{path}")
    assert response.status_code == 200
    assert f'lang="{language}"'.encode() in response.content


def test_facilitator_notes_never_reach_the_public_module_page(client, demo):
    response = client.get(f"/en/{PROGRAMME}recruitment-complaints/")
    assert b"The first interview" in response.content
    assert b"Some participants handle live cases" not in response.content


def test_the_programme_page_lists_its_curriculum_and_sessions(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        response = client.get(f"/en/{PROGRAMME}")
    content = response.content.decode()
    assert "Recruitment abuses and complaints" in content
    assert "Amman — spring session" in content and "Bangkok — autumn session" in content


def test_an_unknown_page_gets_a_helpful_404_in_the_visitors_language(client, demo):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert b'dir="rtl"' in response.content
