"""Images people upload, made safe to keep: decoded and encoded again, never stored as they came."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT = "image/jpeg,image/png,image/webp"
# A 48-megapixel phone photo opens; a small file claiming more pixels than that, which would take gigabytes of
# memory to decode (a "decompression bomb"), is refused before anything is decoded.
MAX_MEGAPIXELS = 50
MAX_SIDE = 1600
JPEG_QUALITY = 85

NOT_AN_IMAGE = _("This file is not a photo we can read. Choose a JPEG, PNG or WebP image.")
TOO_LARGE = _("This image is too large to open. Choose a photo of at most %(limit)s megapixels.")


def reencode_image(upload, *, max_side: int = MAX_SIDE) -> ContentFile:
    """The upload as a new JPEG (PNG when it has transparency): upright, at most max_side pixels on its long side,
    without metadata (EXIF and its location, colour profile, text) or anything appended to the original.
    Raises ValidationError when the file is not a JPEG, PNG or WebP image, or has too many pixels."""
    too_large = ValidationError(TOO_LARGE, code="too_large", params={"limit": MAX_MEGAPIXELS})
    upload.seek(0)
    try:
        # Pillow only warns between its own limit and twice that; a warning must stop us too. (catch_warnings
        # changes process-wide state: harmless here, where the only warning turned into an error is this one.)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=FORMATS) as image:
                if image.width * image.height > MAX_MEGAPIXELS * 1_000_000:
                    raise too_large
                if image.format == "JPEG":
                    image.draft("RGB", (max_side, max_side))  # decode a large JPEG at 1/2, 1/4 or 1/8 of its size
                image.load()  # the first frame of an animation
                picture = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except Exception:  # Pillow raises many kinds of error on a damaged or disguised file
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None

    transparent = picture.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in picture.info
    try:
        picture = picture.convert("RGBA" if transparent else "RGB")
    except ValueError:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    if transparent and picture.getchannel("A").getextrema()[0] == 255:
        picture, transparent = picture.convert("RGB"), False
    picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: nothing of the original's info (EXIF, ICC, text chunks) comes along.
    fresh = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    buffer = io.BytesIO()
    if transparent:
        fresh.save(buffer, "PNG")
        return ContentFile(buffer.getvalue(), name="photo.png")
    fresh.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")
