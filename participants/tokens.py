"""Signed invitation tokens: they name an invitation and its current nonce, and nothing can be guessed."""

from django.core import signing

SALT = "attache.participants.invitation"


class InvalidToken(Exception):
    """The link was altered, truncated, or made for an invitation that no longer exists."""


def make_token(invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=SALT)
        return int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken from error


CHECK_IN_SALT = "attache.participants.check-in"


def make_check_in_token(registration) -> str:
    """The badge's QR code: this participant in this cohort. Short, so that the code stays easy to scan, and
    without a timestamp, so that a reprinted badge carries the same code."""
    return signing.Signer(salt=CHECK_IN_SALT).sign_object([registration.pk, registration.cohort_id], compress=True)


def read_check_in_token(token: str) -> tuple[int, int]:
    """(registration id, cohort id). Raises InvalidToken for an altered or truncated code."""
    try:
        registration_id, cohort_id = signing.Signer(salt=CHECK_IN_SALT).unsign_object(token)
        return int(registration_id), int(cohort_id)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidToken from error


ROOM_SALT = "attache.participants.room"


def make_room_token(cohort) -> str:
    """The training room's link (shown as a QR code on the screen): names the cohort, never a person."""
    return signing.Signer(salt=ROOM_SALT).sign_object(cohort.pk)


def read_room_token(token: str) -> int:
    try:
        return int(signing.Signer(salt=ROOM_SALT).unsign_object(token))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidToken from error


NOMINATION_SALT = "attache.participants.nomination-link"


def make_nomination_token(link) -> str:
    """A focal point's personal link to nominate: names the link and its current nonce."""
    return signing.dumps({"l": link.pk, "n": link.nonce}, salt=NOMINATION_SALT, compress=True)


def read_nomination_token(token: str) -> tuple[int, str]:
    """(link id, nonce). Raises InvalidToken for an altered or truncated link."""
    try:
        data = signing.loads(token, salt=NOMINATION_SALT)
        return int(data["l"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken from error
