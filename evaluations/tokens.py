"""Personal survey links: they name a survey and a person, are signed, and work on a phone without a password."""

from django.core import signing

SALT = "attache.evaluations.survey"
OPEN_SALT = "attache.evaluations.open-survey"


class InvalidToken(Exception):
    """The link was altered or truncated."""


def make_token(*, survey_id: int, user_id: int) -> str:
    return signing.Signer(salt=SALT).sign_object([survey_id, user_id], compress=True)


def read_token(token: str) -> tuple[int, int]:
    """(survey id, user id). Raises InvalidToken."""
    try:
        survey_id, user_id = signing.Signer(salt=SALT).unsign_object(token)
        return int(survey_id), int(user_id)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidToken from error


def make_open_token(*, survey_id: int) -> str:
    """The link (and QR code) of an anonymous survey, shared with the whole room."""
    return signing.Signer(salt=OPEN_SALT).sign_object(survey_id)


def read_open_token(token: str) -> int:
    try:
        return int(signing.Signer(salt=OPEN_SALT).unsign_object(token))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidToken from error
