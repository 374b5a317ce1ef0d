"""A photo is decoded and encoded again before it is kept, and only with the person's consent."""

import io
import struct
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from participants.models import Profile, Registration
from participants.notifications import invitation_url
from participants.services import invite_person, save_profile
from tests.factories import CohortFactory, OrganisationFactory, UserFactory, person

pytestmark = pytest.mark.django_db

TOO_LARGE = "This image is too large to open"
NOT_A_PHOTO = "This file is not a photo we can read"
NEEDS_CONSENT = "We keep a photo only if you allow it to be shown"


@pytest.fixture
def invitee(client, private_files):
    """Lina, signed in, on the form of her invitation."""
    invitation = invite_person(cohort=CohortFactory(capacity=30), email="lina@example.org",
                               intended_sector="civil_society", invited_by=UserFactory(), language="en")  # fmt: skip
    user = UserFactory(email="lina@example.org")
    client.force_login(user)
    return user, invitation_url(invitation).split("8000", 1)[1]


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def submit(client, path: str, photo: bytes, name: str = "face.png", *, consent: bool = True):
    data = {
        "profile-full_name": "Lina Haddad", "profile-native_name": "لينا حداد",
        "profile-organisation": OrganisationFactory(kind="ngo", country="LB").pk, "profile-nationality": "LB",
        "profile-photo": SimpleUploadedFile(name, photo), "logistics-travelling_from": "Beirut",
    }  # fmt: skip
    if consent:
        data["profile-consent_photo"] = "on"
    return client.post(path, data)


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def png_declaring(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header claims width × height: a few hundred bytes that would need gigabytes to open."""
    data = bytearray(encoded(Image.new("P", (1, 1)), "PNG"))
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:33] = header + struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def test_html_appended_to_a_png_is_not_kept(client, invitee, private_files):
    user, path = invitee
    photo = encoded(Image.new("RGB", (80, 80), "navy"), "PNG") + b"<html><script>alert(document.cookie)</script>"
    assert submit(client, path, photo).status_code == 302
    (kept,) = stored_files(private_files)
    content = kept.read_bytes()
    assert b"<script" not in content and b"<html" not in content
    with Image.open(kept) as image:
        image.verify()
        assert image.format in ("JPEG", "PNG")
    assert Profile.objects.get(user=user).photo.name.startswith(f"photos/{user.pk}/")


def test_the_location_and_other_exif_of_a_jpeg_are_not_kept(client, invitee, private_files):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({ExifTags.GPS.GPSLatitudeRef: "N",
                                               ExifTags.GPS.GPSLatitude: (33.0, 53.0, 20.0)})  # fmt: skip
    photo = encoded(Image.new("RGB", (80, 80), "tan"), "JPEG", exif=exif)
    with Image.open(io.BytesIO(photo)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file does carry a location
    assert submit(client, invitee[1], photo, "face.jpg").status_code == 302
    (kept,) = stored_files(private_files)
    assert b"Exif" not in kept.read_bytes() and b"PhoneMaker" not in kept.read_bytes()
    with Image.open(kept) as image:
        assert not image.getexif()


def test_a_photo_is_turned_upright_and_made_smaller(client, invitee, private_files):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone on its side
    photo = encoded(Image.new("RGB", (2400, 1800), "olive"), "JPEG", exif=exif)
    assert submit(client, invitee[1], photo, "face.jpg").status_code == 302
    (kept,) = stored_files(private_files)
    with Image.open(kept) as image:
        assert image.size == (1200, 1600)


@pytest.mark.parametrize("size", [(10_000, 10_000), (20_000, 20_000)])
def test_a_decompression_bomb_is_refused_next_to_the_field(client, invitee, private_files, size):
    response = submit(client, invitee[1], png_declaring(*size))
    assert response.status_code == 200
    html = response.content.decode()
    assert TOO_LARGE in html
    assert 'value="لينا حداد"' in html  # what was typed is kept
    assert stored_files(private_files) == []
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"just some text, not a photo\n", encoded(Image.new("RGB", (40, 40), "red"), "GIF")],
    ids=["text", "gif"],
)
def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused_whatever_its_name(client, invitee, private_files, content):
    response = submit(client, invitee[1], content, "face.jpg")
    assert response.status_code == 200
    assert NOT_A_PHOTO in response.content.decode()
    assert stored_files(private_files) == []


def test_a_photo_without_consent_is_refused_and_not_kept(client, invitee, private_files):
    response = submit(client, invitee[1], encoded(Image.new("RGB", (40, 40), "navy"), "PNG"), consent=False)
    assert response.status_code == 200
    assert NEEDS_CONSENT in response.content.decode()
    assert stored_files(private_files) == []
    assert not Registration.objects.exists()


def with_photo(consent: bool = True):
    user = person()
    profile = user.profile
    profile.consent_photo = consent
    profile.photo.save("face.png", ContentFile(encoded(Image.new("RGB", (40, 40), "navy"), "PNG")))
    return profile


def test_withdrawing_photo_consent_deletes_the_photo(private_files, django_capture_on_commit_callbacks):
    profile = with_photo()
    assert len(stored_files(private_files)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        save_profile(user=profile.user, data={"consent_photo": False, "photo": profile.photo})
    profile.refresh_from_db()
    assert not profile.photo
    assert stored_files(private_files) == []


def test_the_service_keeps_no_photo_without_consent(private_files, django_capture_on_commit_callbacks):
    user = person()
    with django_capture_on_commit_callbacks(execute=True):
        photo = ContentFile(encoded(Image.new("RGB", (9, 9)), "JPEG"), "p.jpg")
        save_profile(user=user, data={"consent_photo": False, "photo": photo})
    assert not Profile.objects.get(user=user).photo
    assert stored_files(private_files) == []


def test_clearing_the_photo_deletes_it(private_files, django_capture_on_commit_callbacks):
    profile = with_photo()
    with django_capture_on_commit_callbacks(execute=True):
        save_profile(user=profile.user, data={"photo": False})  # the form's "Clear" box
    profile.refresh_from_db()
    assert profile.photo.name == ""
    assert stored_files(private_files) == []


def test_a_new_photo_replaces_the_old_file(private_files, django_capture_on_commit_callbacks):
    profile = with_photo()
    (old,) = stored_files(private_files)
    with django_capture_on_commit_callbacks(execute=True):
        save_profile(user=profile.user,
                     data={"photo": ContentFile(encoded(Image.new("RGB", (9, 9)), "JPEG"), "photo.jpg")})  # fmt: skip
    (new,) = stored_files(private_files)
    assert new != old


def test_the_django_admin_neither_takes_a_photo_nor_changes_consents(client, private_files):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    admin = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    profile = with_photo()
    page = client.get(f"/django-admin/participants/profile/{profile.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"photo", "consent_photo", "listed_in_directory", "consent_share_contact"} & set(form.fields)
