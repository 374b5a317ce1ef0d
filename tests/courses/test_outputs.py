"""The trainer handbook and agenda PDFs (text extracted and pages rendered) and the agenda calendar."""

import io
import shutil
import subprocess
import unicodedata

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from courses.models import ModulePage, ProgrammeIndexPage, ProgrammePage, SessionPage
from courses.outputs import build_handbook
from courses.permissions import TRAINERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROGRAMME_PATH = "/en/programmes/migrant-workers-rights-asia/"
NOTE = "Confirm the shelter visit two days ahead"

# One line per script the brief names, as participants' names and course titles are written.
SCRIPTS = {
    "latin": "Ahmad Al-Khatib and Maria Santos",
    "vietnamese": "Nguyễn Thị Lan — Hoàng Đức Anh",
    "arabic": "حماية حقوق العمال المهاجرين",
    "thai": "สิทธิของแรงงานข้ามชาติ",
    "khmer": "សិទ្ធិ​ពលករ​ចំណាកស្រុក",
    "lao": "ສິດທິຂອງແຮງງານເຄື່ອນຍ້າຍ",
    "burmese": "ရွှေ့ပြောင်းလုပ်သားများ၏ အခွင့်အရေး",
}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def render_first_page(content: bytes, tmp_path) -> bytes:
    """Render with poppler, as a person would look at it; `make test` installs poppler-utils."""
    assert shutil.which("pdftoppm"), "pdftoppm is missing: sudo apt-get install -y poppler-utils"
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", source, tmp_path / "page"], check=True)
    return next(tmp_path.glob("page*.png")).read_bytes()


def test_the_public_handbook_has_the_curriculum_but_no_facilitator_notes(client, demo):
    response = client.get(PROGRAMME_PATH + "handbook/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="migrant-workers-rights-asia-handbook.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Trainer handbook" in text
    assert "Referral between embassies and NGOs" in text and "Action planning" in text
    assert "Who does what: a referral map" in text
    assert NOTE not in text


def test_a_trainers_handbook_includes_the_facilitator_notes(client, demo):
    client.force_login(UserFactory(groups=[TRAINERS]))
    response = client.get(PROGRAMME_PATH + "handbook/")
    assert NOTE in pdf_text(response.content)
    assert "private" in response["Cache-Control"]


def test_the_arabic_handbook_is_in_arabic_and_joined(client, demo):
    text = nfkc(pdf_text(client.get("/ar/programmes/migrant-workers-rights-asia/handbook/").content))
    for word in ["حماية", "حقوق", "العمال", "المهاجرين", "الأهداف", "المنهج"]:
        assert word in text
    # Joined letters are written with Arabic presentation forms, not isolated letters.
    raw = pdf_text(client.get("/ar/programmes/migrant-workers-rights-asia/handbook/").content)
    assert any(0xFE70 <= ord(char) <= 0xFEFF for char in raw)


def test_every_script_of_the_brief_is_written_and_shaped(demo, tmp_path):
    index = ProgrammeIndexPage.objects.get(locale__language_code="en")
    programme = index.add_child(instance=ProgrammePage(title="Scripts", slug="scripts", summary=SCRIPTS["latin"]))
    for number, (script, text) in enumerate(SCRIPTS.items()):
        programme.add_child(instance=ModulePage(title=text, slug=f"m{number}", learning_outcomes=f"<p>{script}</p>"))
    content = build_handbook(programme=programme, include_notes=False)
    text = pdf_text(content)
    for script in ("latin", "vietnamese", "thai"):
        assert SCRIPTS[script] in text, script
    for word in SCRIPTS["arabic"].split():
        assert word in nfkc(text)
    # Shaping turns Lao stacked marks, Khmer subscripts and Burmese prefixed vowels into glyphs that text
    # extraction cannot map back; check the words that survive it (the rendered page was checked by eye:
    # docs in the README), and that no dotted circle, the mark of an unshaped combining sign, was drawn.
    assert "ສິດທິຂອງແຮງງານ" in text
    assert "ពលករ" in text
    assert "လုပ်သားများ၏" in text
    assert "\u25cc" not in text
    # Shaped clusters (Khmer coeng, Lao stacked marks) become substituted glyphs, which reportlab maps to
    # private-use code points: proof that HarfBuzz ran. Unshaped text would extract letter for letter.
    khmer_line = next(line for line in text.splitlines() if "ពលករ" in line)
    assert any(0xE000 <= ord(char) <= 0xF8FF for char in khmer_line)
    png = render_first_page(content, tmp_path)
    assert png.startswith(b"\x89PNG") and len(png) > 5_000


def test_the_agenda_pdf_lists_each_day_in_the_venues_time(client, demo, tmp_path):
    response = client.get(PROGRAMME_PATH + "amman-upcoming/agenda/pdf/")
    assert response.status_code == 200
    text = pdf_text(response.content)
    session = SessionPage.objects.get(slug="amman-upcoming", locale__language_code="en")
    assert session.title in text
    assert "Times are local to the venue (Jordan Time, GMT+3)" in text and "Asia/Amman" not in text
    assert "09:00–09:45" in text and "Welcome and introductions" in text and "Certificates and closing" in text
    assert render_first_page(response.content, tmp_path).startswith(b"\x89PNG")


def test_the_agenda_calendar_has_one_event_per_item_in_the_venues_time_zone(client, demo):
    response = client.get(PROGRAMME_PATH + "amman-upcoming/agenda/ics/")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    session = SessionPage.objects.get(slug="amman-upcoming", locale__language_code="en")
    assert len(events) == sum(len(day.value["items"]) for day in session.agenda)
    first = min(events, key=lambda event: event.decoded("dtstart"))
    assert str(first["summary"]) == "Welcome and introductions"
    start = first.decoded("dtstart")
    assert (start.date(), start.hour, start.minute) == (session.start_date, 9, 0)
    assert str(start.tzinfo) == "Asia/Amman"
    assert len({str(event["uid"]) for event in events}) == len(events)
    assert "Amman" in str(first["location"])


def test_punctuation_and_digits_missing_from_a_scripts_font_still_print():
    """Noto Naskh Arabic has no brackets or dashes, Noto Sans Thai no digits: they used to vanish from PDFs."""
    from courses.pdf import FRAME_WIDTH, Writer, render

    writer = Writer(rtl=False, width=FRAME_WIDTH)
    pdf = render([writer.para("رانيا خوري (منظمة) – 2026"), writer.para("สมชาย 2026 ไทย")], title="t")
    text = unicodedata.normalize("NFKC", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "(" in text and ")" in text  # around an Arabic word (printed mirrored, in visual order)
    assert "–" in text
    assert text.count("2026") == 2
    assert "\ufffd" not in text and "\uffff" not in text


def test_direction_marks_typed_into_a_name_never_break_a_pdf():
    """Phones type RLM and isolates into Arabic names; python-bidi raised AssertionError on them."""
    from courses.pdf import FRAME_WIDTH, Writer, render

    for rtl in (False, True):
        writer = Writer(rtl=rtl, width=FRAME_WIDTH)
        names = ["\u200fرانيا خوري\u200f", "\u2067فاطمة\u2069 (Amman)", "Maria \u2066Santos\u2069", "\u202bنص\u202c"]
        pdf = render([writer.para(name) for name in names], title="t")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "Santos" in text and "Amman" in text
