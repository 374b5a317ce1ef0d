"""The session pack: badges, sign-in sheets and certificates for a cohort, built in the background and kept
until the session, its people or their attendance change."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_q.tasks import async_task

from courses.l10n import join_parts

from ..models import Cohort, SessionPack
from ..selectors import get_attendance_matrix
from ..tokens import make_check_in_token

__all__ = [
    "build_certificate_for", "build_pack", "check_in_url", "discard_stale_pack", "pack_data", "pack_fingerprint",
    "request_pack",
]  # fmt: skip

logger = logging.getLogger(__name__)


def pack_fingerprint(*, cohort: Cohort, language: str) -> str:
    """A hash of everything the pack prints (names, organisations, titles, dates, signatories, who is certified,
    the check-in links): it changes exactly when a pack would come out different."""
    session, people, certified = pack_data(cohort=cohort, language=language)
    printed = (session, people, tuple(person.number for person in certified))
    return hashlib.sha256(repr(printed).encode()).hexdigest()


def discard_stale_pack(*, pack: SessionPack) -> None:
    """An out-of-date pack holds personal data nobody should print any more: its file goes at once."""
    if pack.file:
        pack.file.delete(save=False)
    SessionPack.objects.filter(pk=pack.pk, fingerprint=pack.fingerprint).update(file="")


def _session_in(session, language: str):
    translation_ = session.get_translations(inclusive=True).filter(locale__language_code=language).first()
    return (translation_ or session).specific


def check_in_url(registration, *, language: str) -> str:
    with translation.override(language):
        path = reverse("participants:check_in", kwargs={"token": make_check_in_token(registration)})
    return settings.SITE_URL.rstrip("/") + path


def _person(registration, *, number: int, language: str):
    from ..pack import PackPerson

    profile = getattr(registration.user, "profile", None)
    return PackPerson(
        number=number,
        full_name=profile.full_name if profile else registration.user.email,
        native_name=profile.native_name if profile else "",
        preferred_name=profile.preferred_name if profile else "",
        organisation=profile.organisation.name if profile and profile.organisation_id else "",
        country=str(registration.country.name) if registration.country else "",
        check_in_url=check_in_url(registration, language=language),
    )


def build_certificate_for(*, registration, language: str) -> bytes | None:
    """One person's certificate of completion, or None when they have not attended the days it needs."""
    from ..pack import build_certificates

    cohort = registration.cohort
    rows = get_attendance_matrix(cohort=cohort)["rows"]
    if not any(row["registration"].pk == registration.pk and row["certified"] for row in rows):
        return None
    session, _people, _certified = pack_data(cohort=cohort, language=language, people=False)
    with translation.override(language):
        return build_certificates(session, [_person(registration, number=1, language=language)])


def pack_data(*, cohort: Cohort, language: str, people: bool = True):
    """The plain data the PDFs print: the session in the pack's language and its people, with who is certified."""
    from ..pack import PackSession
    from .attendance import session_days

    session = _session_in(cohort.session, language)
    programme = session.get_parent().specific
    with translation.override(language):
        place = join_parts((session.venue, session.city, session.country.name))
        pack_session = PackSession(
            programme=programme.title, title=session.title, start=session.start_date, end=session.end_date,
            place=place, days=tuple(session_days(session)), host=programme.host.name if programme.host else "",
            signatories=tuple(cohort.signatories()), language=language,
        )  # fmt: skip
        if not people:
            return pack_session, [], []
        # The matrix lists the seated people in name order, each with whether they earned the certificate.
        people, certified = [], []
        for number, row in enumerate(get_attendance_matrix(cohort=cohort)["rows"], start=1):
            person = _person(row["registration"], number=number, language=language)
            people.append(person)
            if row["certified"]:
                certified.append(person)
    return pack_session, people, certified


@transaction.atomic
def request_pack(*, cohort: Cohort, by, language: str) -> SessionPack:
    """Queue the pack's preparation unless an up-to-date one is ready or on its way. Returns the pack row."""
    pack, _created = SessionPack.objects.select_for_update().get_or_create(cohort=cohort)
    fingerprint = pack_fingerprint(cohort=cohort, language=language)
    if pack.fingerprint == fingerprint and pack.status in (
        SessionPack.Status.READY, SessionPack.Status.QUEUED, SessionPack.Status.RUNNING,
    ):  # fmt: skip
        return pack
    pack.status = SessionPack.Status.QUEUED
    pack.language = language
    pack.fingerprint = fingerprint
    pack.done = pack.total = 0
    pack.error = ""
    pack.requested_by = by
    pack.requested_at = timezone.now()
    pack.finished_at = None
    pack.save()
    # robust: a broker that is down must not turn the committed request into an error page (it can be asked again).
    transaction.on_commit(partial(async_task, "participants.tasks.build_session_pack", pack.pk), robust=True)
    return pack


def build_pack(*, pack_id: int) -> bool:
    """The background job: write the ZIP with progress. Returns False when the request was replaced meanwhile."""
    from ..pack import write_pack_zip

    pack = SessionPack.objects.select_related("cohort__session").get(pk=pack_id)
    if pack.status == SessionPack.Status.READY:
        return False  # a retried job: the file is there
    fingerprint = pack.fingerprint
    SessionPack.objects.filter(pk=pack.pk, fingerprint=fingerprint).update(status=SessionPack.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        SessionPack.objects.filter(pk=pack.pk, fingerprint=fingerprint).update(done=done, total=total)

    try:
        session, people, certified = pack_data(cohort=pack.cohort, language=pack.language)
        with tempfile.TemporaryFile() as buffer:
            write_pack_zip(session, people, certified, buffer, progress=progress)
            buffer.seek(0)
            with transaction.atomic():
                current = SessionPack.objects.select_for_update().get(pk=pack.pk)
                if current.fingerprint != fingerprint:
                    return False
                old = current.file.name
                current.file.save(f"pack-{pack.cohort_id}-{fingerprint[:12]}.zip", File(buffer), save=False)
                current.status = SessionPack.Status.READY
                current.finished_at = timezone.now()
                current.save()
                if old and old != current.file.name:
                    transaction.on_commit(partial(current.file.storage.delete, old))
    except Exception as error:
        logger.exception("Session pack %s failed", pack.pk)
        SessionPack.objects.filter(pk=pack.pk, fingerprint=fingerprint).update(
            status=SessionPack.Status.FAILED, error=str(error)[:1000]
        )
        raise
    return True
