"""The session pack's PDFs built from plain data: badges, sign-in sheets, certificates, and the ZIP of them.

Text is read back with pypdf; pages are rendered with poppler's pdftoppm, as a person would look at them.
"""

import datetime
import io
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader, PdfWriter

from participants.pack import (
    PackPerson,
    PackSession,
    PackWriter,
    build_badges,
    build_certificates,
    build_sign_in_sheets,
    fit_paragraph,
    qr_drawing,
    write_pack_zip,
)

REFERENCE = Path(__file__).parent / "reference" / "badges-page1.png"
DAYS = tuple(datetime.date(2026, 3, 2) + datetime.timedelta(days=n) for n in range(5))
SESSION = PackSession(
    programme="Protecting the rights of migrant workers in Asia",
    title="Amman, March 2026",
    start=DAYS[0],
    end=DAYS[-1],
    place="Grand Hyatt, Amman, Jordan",
    days=DAYS,
    host="International Labour Rights Network",
    signatories=(("Leila Haddad", "Programme Director"), ("Somchai Jaidee", "Head of Training")),
)
ARABIC_SESSION = PackSession(
    programme="حماية حقوق العمال المهاجرين",
    title="عمّان، مارس 2026",
    start=DAYS[0],
    end=DAYS[-1],
    place="فندق غراند حياة، عمّان، الأردن",
    days=DAYS,
    signatories=(("Leila Haddad", "Programme Director"), ("Somchai Jaidee", "Head of Training")),
    language="ar",
)


def url(number: int) -> str:
    return f"https://attache.example.org/en/check-in/{number}/?signature=Xq3v9{number:04d}kP"


# Fixed people: the reference image is drawn from the first eight.
PEOPLE = [
    PackPerson(1, "Samir Al-Khatib", "سمير الخطيب", "Samir", "Ministry of Labour", "Jordan", url(1)),
    # Typed decomposed, as some keyboards and spreadsheets do; printed composed (NFC).
    PackPerson(2, unicodedata.normalize("NFD", "Nguyễn Thị Lan"), "", "Lan", "Department of Overseas Labour",
               "Viet Nam", url(2)),  # fmt: skip
    PackPerson(3, "Somchai Jaidee", "สมชาย ใจดี", "", "Thai Overseas Employment Administration", "Thailand", url(3)),
    PackPerson(4, "Sok Chanthy", "សុខ ចាន់ធី", "Chanthy", "Ministry of Labour and Vocational Training", "Cambodia",
               url(4)),  # fmt: skip
    PackPerson(5, "Anousone Phommachanh", "ອານຸສອນ ພົມມະຈັນ", "", "Ministry of Labour and Social Welfare", "Lao PDR",
               url(5)),  # fmt: skip
    PackPerson(6, "Aung Kyaw Oo", "အောင်ကျော်ဦး", "", "Ministry of Labour", "Myanmar", url(6)),
    PackPerson(7, "Maria Guadalupe Fernández de la Santísima Trinidad Hernández", "", "",
               "Coalition of NGOs for the protection of domestic workers' rights in the Gulf", "Philippines", url(7)),
    PackPerson(8, "Hoàng Đức Anh", "", "", "", "Viet Nam"),  # no check-in link: no QR code
    PackPerson(9, "Fatima Abdulrahman", "فاطمة عبد الرحمن", "", "وزارة العمل", "الأردن", url(9)),
]  # fmt: skip


def pages(content: bytes) -> list:
    return PdfReader(io.BytesIO(content)).pages


def text_of(content: bytes) -> str:
    """All the text, with Arabic presentation forms folded back to letters (NFKC)."""
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in pages(content)))


def font_names(content: bytes) -> set[str]:
    names = set()
    for page in pages(content):
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1].lstrip("/"))
    return names


def render(content: bytes, tmp_path: Path, *, name: str = "document", dpi: int = 50) -> Image.Image:
    """Page 1 as a grey image, rendered by poppler (`make test` installs poppler-utils)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is missing: sudo apt-get install -y poppler-utils")
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(content)
    prefix = tmp_path / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", source, prefix],
        check=True,
    )
    return Image.open(f"{prefix}.png").convert("L")


def darkness(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Mean ink (0 white, 255 black) in a box given in fractions of the page."""
    width, height = image.size
    left, top, right, bottom = box
    region = image.crop((int(left * width), int(top * height), int(right * width), int(bottom * height)))
    return 255 - ImageStat.Stat(region).mean[0]


def x_positions(content: bytes, needles: list[str]) -> dict[str, float]:
    """Where on page 1 (points from the left) each needle's line of text starts."""
    found = {}

    def visit(text, cm, tm, font, size):
        for needle in needles:
            if needle in unicodedata.normalize("NFKC", text) and needle not in found:
                found[needle] = tm[4] * cm[0] + cm[4]

    pages(content)[0].extract_text(visitor_text=visit)
    return found


def one_page(content: bytes, index: int) -> bytes:
    """One page of a PDF as a PDF of its own."""
    writer = PdfWriter()
    writer.add_page(pages(content)[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- Badges ------------------------------------------------------------------------------------------------------


def test_badges_show_the_preferred_name_native_name_organisation_and_country():
    text = text_of(build_badges(SESSION, PEOPLE))
    for expected in ["Samir", "Ministry of Labour", "Jordan", "Lan", "Department of Overseas Labour", "Viet Nam",
                     "Hoàng Đức Anh", "Somchai Jaidee", "Thailand", "Chanthy", "Amman, March 2026",
                     "Protecting the rights of migrant workers in Asia", "No. 1", "No. 9"]:  # fmt: skip
        assert expected in text, expected
    # The preferred name large, the passport name under it (when it differs), then the native name.
    assert "Samir\nSamir Al-Khatib\nسمير الخطيب" in text
    assert text.count("Somchai Jaidee") == 1  # no preferred name: the passport name is printed once
    for word in ["سمير", "الخطيب", "فاطمة", "وزارة", "العمل", "الأردن"]:
        assert word in text, word
    assert "สมชาย" in text


def test_a_long_name_shrinks_onto_the_badge_without_being_cut():
    text = text_of(build_badges(SESSION, PEOPLE[6:7]))
    assert "Maria Guadalupe Fernández de la" in text.replace("\n", " ")
    assert "Hernández" in text


def test_eight_badges_fit_on_a_sheet():
    assert len(pages(build_badges(SESSION, PEOPLE))) == 2  # nine people
    assert len(pages(build_badges(SESSION, PEOPLE[:8]))) == 1


def test_badges_report_their_progress_page_by_page():
    done = []
    build_badges(SESSION, PEOPLE, progress=done.append)
    assert done == [8, 9]


def test_each_script_is_written_in_its_own_font():
    content = build_badges(SESSION, PEOPLE)
    fonts = font_names(content)
    for font in ["NotoSans-Bold", "NotoNaskhArabic-Regular", "NotoSansThai-Regular", "NotoSansKhmer-Regular",
                 "NotoSansLao-Regular", "NotoSansMyanmar-Regular"]:  # fmt: skip
        assert font in fonts, font
    # Shaped clusters extract only in part (known): enough letters of each come back to show they were written.
    text = text_of(content)
    assert "ใจดี" in text
    assert any(0x1780 <= ord(char) <= 0x17FF for char in text)  # Khmer
    assert any(0x0E80 <= ord(char) <= 0x0EFF for char in text)  # Lao
    assert any(0x1000 <= ord(char) <= 0x109F for char in text)  # Burmese
    assert "\u25cc" not in text  # no dotted circle: every combining sign was shaped onto its letter


def test_the_qr_code_carries_the_check_in_link():
    drawing = qr_drawing(url(1))
    (widget,) = drawing.contents
    assert widget.value == url(1)
    assert drawing.width == drawing.height == widget.barWidth


def test_the_qr_code_is_printed_module_for_module(tmp_path):
    """No decoder here: render the code and compare each module's colour with the encoder's matrix instead."""
    from reportlab.graphics import renderPDF

    drawing = qr_drawing(url(3))
    content = renderPDF.drawToString(drawing)
    image = render(content, tmp_path, dpi=300)
    (widget,) = drawing.contents
    widget.qr.make()
    modules = widget.qr.modules
    count = len(modules)
    box = image.size[0] / (count + 2 * widget.barBorder)
    for row, line in enumerate(modules):
        for column, dark in enumerate(line):
            x, y = (widget.barBorder + column + 0.5) * box, (widget.barBorder + row + 0.5) * box
            assert (image.getpixel((int(x), int(y))) < 128) == bool(dark), (row, column)


def test_arabic_badges_are_mirrored(tmp_path):
    """The QR code of the first badge is on the right in English, on the left in Arabic (first badge top right)."""
    english = render(build_badges(SESSION, PEOPLE[:1]), tmp_path, name="english")
    arabic = render(build_badges(ARABIC_SESSION, PEOPLE[:1]), tmp_path, name="arabic")
    qr_right_of_left_badge, qr_left_of_right_badge = (0.32, 0.08, 0.47, 0.17), (0.53, 0.08, 0.68, 0.17)
    assert darkness(english, qr_right_of_left_badge) > 60 and darkness(english, qr_left_of_right_badge) < 5
    assert darkness(arabic, qr_left_of_right_badge) > 60 and darkness(arabic, qr_right_of_left_badge) < 5


def test_the_first_badge_sheet_looks_as_it_did(tmp_path):
    """Compares page 1 with tests/participants/reference/badges-page1.png.

    After a deliberate change to the layout, look at the new page, then rewrite the reference with
    `UPDATE_REFERENCE=1 .venv/bin/python -m pytest tests/participants/test_pack.py -k looks_as_it_did` and commit it.
    """
    page = render(build_badges(SESSION, PEOPLE[:8]), tmp_path)
    if os.environ.get("UPDATE_REFERENCE"):
        REFERENCE.parent.mkdir(exist_ok=True)
        page.save(REFERENCE, optimize=True)
    reference = Image.open(REFERENCE).convert("L")
    assert page.size == reference.size
    difference = ImageChops.difference(page, reference)
    mean = ImageStat.Stat(difference).mean[0]
    # A blank badge margin dilutes the mean: also count the pixels that changed a lot (a name set 8 % smaller moves
    # 1.2 % of them; the same page rendered again, none).
    changed = sum(difference.histogram()[65:]) / (page.size[0] * page.size[1])
    assert mean < 2, f"page 1 differs from the reference by {mean:.2f} grey levels on average"
    assert changed < 0.003, f"{changed:.2%} of the pixels of page 1 differ from the reference"


# --- Text that fits ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Maria Guadalupe Fernández de la Santísima Trinidad Hernández y Villanueva",
        "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegt",
        "فاطمة الزهراء عبد الرحمن بن محمد بن عبد الله آل خليفة",
        "วงศกุลชัยพฤกษ์ศรีสุวรรณวงศกุลชัยพฤกษ์ศรีสุวรรณ",
        "အောင်ကျော်ဦးအောင်ကျော်ဦးအောင်ကျော်ဦး",
    ],
)
@pytest.mark.parametrize("rtl", [False, True])
def test_text_too_long_for_its_box_shrinks_and_never_overflows(text, rtl):
    writer = PackWriter(rtl=rtl, width=200)
    paragraph, height = fit_paragraph(writer, text, width=160, height=62, size=26, min_size=12, max_lines=2)
    assert height <= 62
    assert max(paragraph.getActualLineWidths0()) <= 160
    assert paragraph.style.fontSize < 26


def test_short_text_keeps_its_full_size():
    paragraph, height = fit_paragraph(PackWriter(rtl=False, width=200), "Lan", width=160, height=62, size=26,
                                      min_size=12, max_lines=2)  # fmt: skip
    assert paragraph.style.fontSize == 26 and len(paragraph.blPara.lines) == 1


def test_punctuation_missing_from_a_scripts_font_is_still_printed():
    """Noto Naskh Arabic has no parentheses, Noto Sans Thai no digits: they fall back to Noto Sans."""
    people = [PackPerson(1, "Samir Al-Khatib", "", "", "مكتب العمل (عمّان)", "الأردن"),
              PackPerson(2, "Somchai Jaidee", "", "", "สำนักงานแรงงาน (เขต 2)", "Thailand")]  # fmt: skip
    text = text_of(build_sign_in_sheets(SESSION, people))
    assert "(" in text and ")" in text and "2)" in text


# --- Sign-in sheets ----------------------------------------------------------------------------------------------


def test_there_is_a_sign_in_sheet_for_each_day():
    content = build_sign_in_sheets(SESSION, PEOPLE)
    assert len(pages(content)) == len(DAYS)
    second_day = text_of(one_page(content, 1))
    assert "Day 2 – Tuesday 3 March 2026" in second_day
    assert "Amman, March 2026" in second_day and "Grand Hyatt, Amman, Jordan" in second_day
    for label in ["No.", "Name", "Organisation", "Signature"]:
        assert label in second_day
    assert "Nguyễn Thị Lan" in second_day and "Samir Al-Khatib" in second_day
    assert "Aung Kyaw Oo" in second_day and "Thai Overseas Employment" in second_day
    assert "سمير" in second_day and "فاطمة" in second_day


def test_a_long_list_runs_over_pages_with_the_header_row_on_each():
    people = [PackPerson(n, f"Participant {n}", "", "", "Ministry of Labour", "Jordan") for n in range(1, 61)]
    session = PackSession(**{**SESSION.__dict__, "days": DAYS[:2]})
    content = build_sign_in_sheets(session, people)
    texts = [unicodedata.normalize("NFKC", page.extract_text()) for page in pages(content)]
    assert len(texts) > 2 and len(texts) % 2 == 0  # each day starts on a new page, and both days run the same
    assert all("Signature" in text and "Organisation" in text for text in texts)
    first_day = [text for text in texts if "Day 1 –" in text]
    numbers = sorted(int(n) for text in first_day for n in re.findall(r"Participant (\d+)", text))
    assert numbers == list(range(1, 61))  # everyone once a day, nobody lost at a page break
    assert f"page 1 of {len(first_day)}" in first_day[0]


def test_arabic_sign_in_sheets_are_in_arabic_and_mirrored():
    content = build_sign_in_sheets(ARABIC_SESSION, PEOPLE[:3])
    text = text_of(content)
    for word in ["حماية", "حقوق", "العمال", "الاثنين", "مارس", "سمير", "الاسم", "المنظمة"]:
        assert word in text, word
    english = x_positions(build_sign_in_sheets(SESSION, PEOPLE[:3]), ["Samir Al-Khatib", "Ministry of Labour"])
    arabic = x_positions(content, ["Samir Al-Khatib", "Ministry of Labour"])
    assert english["Samir Al-Khatib"] < english["Ministry of Labour"]
    assert arabic["Samir Al-Khatib"] > arabic["Ministry of Labour"]


# --- Certificates ------------------------------------------------------------------------------------------------


def test_a_certificate_for_each_person_in_landscape():
    content = build_certificates(SESSION, PEOPLE)
    assert len(pages(content)) == len(PEOPLE)
    assert all(page.mediabox.width > page.mediabox.height for page in pages(content))


def test_the_certificate_says_who_took_part_in_what_when_and_where():
    text = text_of(build_certificates(SESSION, PEOPLE[:2]))
    for expected in ["Certificate of completion", "This certifies that", "Samir Al-Khatib", "Nguyễn Thị Lan",
                     "took part in the training programme", "Protecting the rights of migrant workers in Asia",
                     "Amman, March 2026", "from 2 March 2026 to 6 March 2026", "5 days", "Grand Hyatt, Amman, Jordan",
                     "International Labour Rights Network", "Leila Haddad", "Programme Director", "Somchai Jaidee",
                     "Head of Training"]:  # fmt: skip
        assert expected in text, expected
    assert "سمير" in text and "الخطيب" in text


def test_an_arabic_certificate_puts_the_first_signatory_on_the_right():
    content = build_certificates(ARABIC_SESSION, PEOPLE[:1])
    english = x_positions(build_certificates(SESSION, PEOPLE[:1]), ["Leila Haddad", "Somchai Jaidee"])
    arabic = x_positions(content, ["Leila Haddad", "Somchai Jaidee"])
    assert english["Leila Haddad"] < english["Somchai Jaidee"]
    assert arabic["Leila Haddad"] > arabic["Somchai Jaidee"]
    text = text_of(content)
    for word in ["حماية", "حقوق", "سمير", "الخطيب", "الأردن", "مارس"]:
        assert word in text, word


def test_certificates_report_their_progress():
    done = []
    build_certificates(SESSION, PEOPLE * 2, progress=done.append)
    assert done == [8, 16, 18]


# --- The ZIP -----------------------------------------------------------------------------------------------------


def test_the_pack_zips_the_three_documents_and_reports_progress(tmp_path):
    calls = []
    destination = tmp_path / "pack.zip"
    people = [PackPerson(n, f"Participant {n}", "", "", "", "Jordan", url(n)) for n in range(1, 21)]
    write_pack_zip(SESSION, people, people[:3], destination, progress=lambda done, total: calls.append((done, total)))
    with zipfile.ZipFile(destination) as archive:
        assert sorted(archive.namelist()) == ["badges.pdf", "certificates.pdf", "sign-in-sheets.pdf"]
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        assert len(pages(archive.read("badges.pdf"))) == 3
        assert len(pages(archive.read("sign-in-sheets.pdf"))) == 5
        assert len(pages(archive.read("certificates.pdf"))) == 3
    total = 20 + 5 + 3
    assert {t for _done, t in calls} == {total}
    done = [d for d, _total in calls]
    assert done == sorted(set(done)) and done[-1] == total
    assert all(later - earlier <= 8 for earlier, later in zip([0] + done, done, strict=False))


def test_without_certificates_the_pack_says_why(tmp_path):
    buffer = io.BytesIO()
    write_pack_zip(SESSION, PEOPLE[:2], [], buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        assert sorted(archive.namelist()) == ["README.txt", "badges.pdf", "sign-in-sheets.pdf"]
        assert "attendance needed for a certificate" in archive.read("README.txt").decode()
