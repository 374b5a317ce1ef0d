"""reencode_image: what comes out of an upload, for the kinds of file people (and attackers) send."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from courses.images import reencode_image


def upload(image: Image.Image, kind: str, **options) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return SimpleUploadedFile(f"upload.{kind.lower()}", buffer.getvalue())


def opened(result) -> Image.Image:
    image = Image.open(io.BytesIO(result.read()))
    image.load()
    return image


def test_a_webp_becomes_a_jpeg():
    result = reencode_image(upload(Image.new("RGB", (30, 20), "teal"), "WEBP"))
    image = opened(result)
    assert result.name == "photo.jpg" and image.format == "JPEG" and image.size == (30, 20)


def test_transparency_is_kept_as_png_and_an_opaque_alpha_becomes_jpeg():
    transparent = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    result = reencode_image(upload(transparent, "PNG"))
    assert result.name == "photo.png" and opened(result).mode == "RGBA"
    assert reencode_image(upload(Image.new("RGBA", (20, 20), (9, 9, 9, 255)), "PNG")).name == "photo.jpg"


@pytest.mark.parametrize("mode", ["CMYK", "L", "P", "1", "I;16", "LA"])
def test_unusual_colour_modes_are_converted(mode):
    kind = "JPEG" if mode in ("CMYK", "L") else "PNG"
    assert opened(reencode_image(upload(Image.new(mode, (16, 16)), kind))).mode in ("RGB", "RGBA")


def test_text_chunks_and_colour_profiles_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    result = reencode_image(upload(Image.new("RGB", (20, 20)), "PNG", pnginfo=info, icc_profile=b"\0" * 200))
    content = result.read()
    assert b"script" not in content and b"iCCP" not in content
    result = reencode_image(upload(Image.new("RGB", (20, 20)), "JPEG", icc_profile=b"\0" * 200))
    assert b"ICC_PROFILE" not in result.read()


def test_only_the_first_frame_of_an_animation_is_kept():
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    animated = upload(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    image = opened(reencode_image(animated))
    assert getattr(image, "n_frames", 1) == 1 and image.getpixel((5, 5))[0] > 200


def test_a_large_jpeg_is_decoded_small_and_fits_the_limit():
    result = opened(reencode_image(upload(Image.new("RGB", (6000, 4000), "gray"), "JPEG"), max_side=800))
    assert result.size == (800, 533)


def png_declaring(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:33] = header + struct.pack(">I", zlib.crc32(header))
    return SimpleUploadedFile("bomb.png", bytes(data))


@pytest.mark.parametrize("size", [(8_000, 8_000), (10_000, 10_000), (20_000, 20_000), (70_000, 70_000)])
def test_more_pixels_than_the_limit_are_refused_before_decoding(size):
    with pytest.raises(ValidationError) as refused:
        reencode_image(png_declaring(*size))
    assert refused.value.code == "too_large"
    assert "50 megapixels" in refused.value.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"GIF89a not really",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"\xff\xd8\xff\xe0 a JPEG that stops here",
        b"%PDF-1.4\n",
    ],
    ids=["empty", "gif-header", "svg", "truncated-jpeg", "pdf"],
)
def test_anything_else_is_refused_with_a_message(content):
    with pytest.raises(ValidationError) as refused:
        reencode_image(SimpleUploadedFile("photo.jpg", content))
    assert refused.value.code == "not_an_image"


def test_a_truncated_png_is_refused():
    whole = upload(Image.effect_noise((200, 200), 50), "PNG").read()
    with pytest.raises(ValidationError):
        reencode_image(SimpleUploadedFile("cut.png", whole[: len(whole) // 2]))
