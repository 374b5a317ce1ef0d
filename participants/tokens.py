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
