"""The visa invitation letter of a confirmed participant, as a PDF."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.l10n import join_parts
from courses.pdf import FRAME_WIDTH, Spacer, Writer, mm, render


def build_visa_letter(*, registration, language: str = "en") -> bytes:
    profile = getattr(registration.user, "profile", None)
    with translation.override(language):
        # Titles in the letter's language when the pages are translated.
        session = registration.cohort.session.localized.specific
        programme = session.get_parent().specific
        host = programme.host
        writer = Writer(rtl=translation.get_language_bidi(), width=FRAME_WIDTH)
        place = join_parts((session.venue, session.city, session.country.name))
        name = profile.full_name if profile else registration.user.email
        story = [
            writer.para(host.name if host else "Attaché", "h1"),
            writer.para(date_format(timezone.localdate(), "DATE_FORMAT"), "small"),
            Spacer(1, 6 * mm),
            writer.para(_("Invitation letter for a visa application"), "h2"),
            writer.para(_("To the consular services concerned,")),
            writer.para(
                _(
                    "We confirm that %(name)s, a national of %(country)s, is invited to take part in the training "
                    "“%(programme)s”, session “%(session)s”, held from %(start)s to %(end)s at %(place)s."
                )
                % {
                    "name": name,
                    "country": registration.country.name or "—",
                    "programme": programme.title,
                    "session": session.title,
                    "start": date_format(session.start_date, "DATE_FORMAT"),
                    "end": date_format(session.end_date, "DATE_FORMAT"),
                    "place": place,
                }
            ),  # fmt: skip
        ]
        if profile and profile.native_name:
            story.append(writer.para(_("Name in native script: %(name)s") % {"name": profile.native_name}))
        if profile and profile.organisation_id:
            story.append(writer.para(
                _("Organisation: %(organisation)s; position: %(position)s")
                % {"organisation": profile.organisation.name, "position": profile.position or "—"}
            ))  # fmt: skip
        story += [
            writer.para(
                _(
                    "Their place is confirmed. We kindly ask you to grant them the visa needed for the "
                    "duration of the session."
                )
            ),  # fmt: skip
            Spacer(1, 10 * mm),
            writer.para(_("For the organisers,")),
            writer.para(host.name if host else "Attaché", bold=True),
        ]
        return render(story, title=_("Invitation letter for a visa application"))
