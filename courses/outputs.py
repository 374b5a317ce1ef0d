"""Printable and downloadable outputs of the CMS: the trainer handbook, a session's agenda and its calendar."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event

from .blocks import METHOD_CHOICES
from .l10n import format_list, join_parts, time_zone_name
from .pdf import FRAME_WIDTH, Spacer, Writer, mm, render, richtext_blocks, table
from .selectors import list_modules

METHODS = dict(METHOD_CHOICES)


def _minutes(minutes: int) -> str:
    return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}


def build_handbook(*, programme, include_notes: bool) -> bytes:
    """The trainer handbook of a programme, in the page's language; facilitator notes only when asked."""
    programme = programme.specific
    language = programme.content_language
    with translation.override(language):
        writer = Writer(rtl=translation.get_language_bidi(), width=FRAME_WIDTH)
        story = [
            writer.para(_("Trainer handbook"), "small"),
            writer.para(programme.title, "title"),
            writer.para(programme.summary),
        ]
        partners = format_list(o.name for o in programme.partners.all())
        if programme.host and partners:
            story.append(
                writer.para(
                    _("Developed by %(host)s with %(partners)s.") % {"host": programme.host.name, "partners": partners},
                    "small",
                )
            )
        if programme.objectives:
            story += [writer.para(_("Objectives"), "h1"), *writer.bullets(_strip_bullets(programme.objectives))]
        if programme.target_audience:
            story += [writer.para(_("Who it is for"), "h1"), writer.para(programme.target_audience)]
        story.append(writer.para(_("Curriculum"), "h1"))
        modules = list(list_modules(programme=programme))
        if not modules:
            story.append(writer.para(_("The curriculum is being written with the partner organisations.")))
        for number, module in enumerate(modules, start=1):
            module = module.specific
            story.append(writer.para(f"{number}. {module.title}", "h2"))
            story.append(writer.para(_minutes(module.duration_minutes) if module.duration_minutes else "", "small"))
            if module.learning_outcomes:
                story.append(writer.para(_("Learning outcomes"), "body", bold=True))
                story += [writer.para(block) for block in richtext_blocks(module.learning_outcomes)]
            activities = [block.value for block in module.activities]
            if activities:
                story.append(writer.para(_("Activities"), "body", bold=True))
                rows = [
                    [a["title"], str(METHODS.get(a["method"], a["method"])), _minutes(a["duration_minutes"] or 0)]
                    for a in activities
                ]
                story.append(table(writer, rows, [FRAME_WIDTH * 0.55, FRAME_WIDTH * 0.25, FRAME_WIDTH * 0.2]))
                for activity in activities:
                    for block in richtext_blocks(activity["instructions"]):
                        story.append(writer.para(f"{activity['title']}: {block}", "small"))
            if include_notes and module.facilitator_notes:
                story.append(writer.para(_("Facilitator notes"), "body", bold=True))
                story += [writer.para(block) for block in richtext_blocks(module.facilitator_notes)]
            story.append(Spacer(1, 3 * mm))
        return render(story, title=programme.title)


def _strip_bullets(value) -> list[str]:
    return [block.removeprefix("• ") for block in richtext_blocks(value)]


def _agenda_rows(session):
    for day in session.agenda:
        items = []
        for item in day.value["items"]:
            module = item["module"].localized.specific if item["module"] else None
            items.append((item, item["title"] or (module.title if module else "")))
        yield day.value["date"], items


def build_agenda_pdf(*, session) -> bytes:
    """A printable day-by-day agenda, times local to the venue."""
    session = session.specific
    with translation.override(session.content_language):
        writer = Writer(rtl=translation.get_language_bidi(), width=FRAME_WIDTH)
        place = join_parts((session.venue, session.city, session.country.name))
        story = [
            writer.para(_("Agenda"), "small"),
            writer.para(session.title, "title"),
            writer.para(f"{date_format(session.start_date)} – {date_format(session.end_date)} · {place}"),
            writer.para(
                _("Times are local to the venue (%(zone)s).")
                % {"zone": time_zone_name(session.time_zone, on=session.start_date)},
                "small",
            ),
        ]
        for date, items in _agenda_rows(session):
            story.append(writer.para(date_format(date, "l j F Y"), "h2"))
            rows = [
                [f"{item['start']:%H:%M}–{item['end']:%H:%M}", title, item["facilitator"] or ""]
                for item, title in items
            ]
            story.append(table(writer, rows, [FRAME_WIDTH * 0.18, FRAME_WIDTH * 0.57, FRAME_WIDTH * 0.25]))
        if not session.agenda:
            story.append(writer.para(_("The day-by-day agenda has not been published yet.")))
        return render(story, title=session.title)


def build_agenda_ics(*, session, url: str) -> bytes:
    """The agenda as an iCalendar file: one event per item, in the venue's time zone."""
    session = session.specific
    zone = zoneinfo.ZoneInfo(session.time_zone)
    calendar = Calendar()
    calendar.add("prodid", "-//Attaché//Session agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", session.title)
    place = join_parts((session.venue, session.city, session.country.name), language=session.content_language)
    stamp = timezone.now()
    for date, items in _agenda_rows(session):
        for item, title in items:
            event = Event()
            event.add("uid", f"{session.translation_key}-{date:%Y%m%d}-{item['start']:%H%M}@attache")
            event.add("dtstamp", stamp)
            event.add("dtstart", datetime.datetime.combine(date, item["start"], tzinfo=zone))
            event.add("dtend", datetime.datetime.combine(date, item["end"], tzinfo=zone))
            event.add("summary", title)
            event.add("location", place)
            event.add("url", url)
            if item["facilitator"]:
                event.add("description", item["facilitator"])
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
