"""What an audit entry is about, stored as data and put into words in the reader's language.

An entry's `details` is {"code": …, params}: the code says what happened, the params hold the facts (dates as ISO
text, counts, field names, titles as typed). `describe()` turns them into a sentence when the trail is read, so an
Arabic reader sees Arabic whatever language the organiser who acted was using. Entries written before details
existed keep their English `what`, shown as it is."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# --- Writing ---


def viewed(page: str, **params) -> dict:
    """A page of personal data someone saw: `page` is one of VIEWED_PAGES."""
    assert page in VIEWED_PAGES, page
    return {"code": page, **params}


def cohort_settings(changes: Iterable[tuple[str, object, object]]) -> dict:
    """Cohort settings changed: (field name, before, after) for each."""
    return {"code": "cohort_settings", "changes": [[name, before, after] for name, before, after in changes]}


def survey_timing(*, questionnaire: str, opens: tuple, closes: tuple) -> dict:
    return {"code": "survey_timing", "questionnaire": questionnaire, "opens": list(opens), "closes": list(closes)}


def role_changed(*, added: bool, role: str) -> dict:
    return {"code": "role_added" if added else "role_removed", "role": role}


def criterion_saved(*, label: str, added: bool, weight: tuple) -> dict:
    """A criterion of a call's rubric added or changed: its English label, its weight before and after."""
    return {"code": "criterion_added" if added else "criterion_changed", "label": label, "weight": list(weight)}


def criterion_removed(*, label: str) -> dict:
    return {"code": "criterion_removed", "label": label}


def blind_review(*, on: bool) -> dict:
    return {"code": "blind_review_on" if on else "blind_review_off"}


def call_reviewer(*, added: bool, scored: int = 0, taken_back: int = 0) -> dict:
    """A reviewer given a call or taken off it (the subject is the reviewer)."""
    if added:
        return {"code": "call_reviewer_added"}
    return {"code": "call_reviewer_removed", "scored": scored, "taken_back": taken_back}


def reviews_assigned(*, count: int, per_application: int) -> dict:
    return {"code": "reviews_assigned", "count": count, "per_application": per_application}


def own_data(*, format: str) -> dict:  # noqa: A002 - the word people use
    return {"code": "own_data", "format": format}


def erased() -> dict:
    return {"code": "erased"}


def purged(*, count: int) -> dict:
    return {"code": "purged", "count": count}


def selection_decided(*, selected: int, reserve: int, not_selected: int) -> dict:
    """A call's selection decided: how many selected, on the reserve lists, and not selected."""
    return {"code": "selection_decided", "selected": selected, "reserve": reserve, "not_selected": not_selected}


def nomination_link(*, added: bool, organisation: str, email: str) -> dict:
    """A nominating organisation's link to a call given (or given again after a withdrawal), or withdrawn."""
    return {"code": "nomination_link_added" if added else "nomination_link_withdrawn", "organisation": organisation,
            "email": email}  # fmt: skip


# --- Reading ---


def _moment(value) -> str:
    """A date or a moment stored as ISO text, in the reader's format (and time zone for moments)."""
    if value in (None, ""):
        return "–"
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value) if "T" in value else datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _setting_value(name: str, value) -> str:
    from .models import Cohort

    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        field = Cohort._meta.get_field(name)
    except Exception:
        field = None
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, str) and value[:4].isdigit() and "-" in value:
        return _moment(value)
    return str(value)


def _setting_name(name: str) -> str:
    from .models import Cohort

    try:
        return str(Cohort._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _cohort_settings(details: dict) -> str:
    changes = "; ".join(
        _("%(setting)s: %(before)s → %(after)s")
        % {"setting": _setting_name(name), "before": _setting_value(name, before), "after": _setting_value(name, after)}
        for name, before, after in details.get("changes", [])
    )
    return _("Cohort settings: %(changes)s") % {"changes": changes}


def _survey_timing(details: dict) -> str:
    opens, closes = details.get("opens", ["", ""]), details.get("closes", ["", ""])
    return _(
        "Questionnaire timing, %(questionnaire)s: opens %(opens_before)s → %(opens_after)s, closes %(closes_before)s"
        " → %(closes_after)s"
    ) % {
        "questionnaire": details.get("questionnaire", ""),
        "opens_before": _moment(opens[0]), "opens_after": _moment(opens[1]),
        "closes_before": _moment(closes[0]), "closes_after": _moment(closes[1]),
    }  # fmt: skip


def _network(details: dict) -> str:
    if details.get("country"):
        from django_countries import countries

        name = str(countries.name(details["country"])) or details["country"]
    else:
        name = details.get("title", "")
    return _("Network: %(name)s") % {"name": name}


def _role(details: dict, *, added: bool) -> str:
    from courses.permissions import role_label

    role = role_label(details.get("role", ""))
    return (_("Added to %(role)s") if added else _("Removed from %(role)s")) % {"role": role}


DESCRIBE: dict[str, Callable[[dict], str]] = {
    # Views of personal data
    "cohort_page": lambda d: _("Cohort page"),
    "day_view": lambda d: _("Day view, %(date)s") % {"date": _moment(d.get("date"))},
    "photo": lambda d: _("Their photo"),
    "attendance": lambda d: _("Attendance of the whole session"),
    "visa_letter": lambda d: _("Visa support letter"),
    "certificate": lambda d: _("Certificate of attendance"),
    "not_answered": lambda d: _("Who has not answered: %(questionnaire)s") % {"questionnaire": d.get("questionnaire")},
    "network": _network,
    "application": lambda d: _("Their application for a call"),
    "call_applications": lambda d: _("The applications to a call"),
    "application_review": lambda d: _("Their application, to review it"),
    "call_scores": lambda d: _("The reviewers' scores of a call"),
    # Settings, roles, people's own requests, clean-ups
    "cohort_settings": _cohort_settings,
    "survey_timing": _survey_timing,
    "role_added": lambda d: _role(d, added=True),
    "role_removed": lambda d: _role(d, added=False),
    # Review of applications
    "criterion_added": lambda d: _("Review criterion added: %(label)s (weight %(weight)s)")
    % {"label": d.get("label", ""), "weight": (d.get("weight") or ["", ""])[1]},
    "criterion_changed": lambda d: _("Review criterion changed: %(label)s (weight %(before)s → %(after)s)")
    % {"label": d.get("label", ""), "before": (d.get("weight") or ["", ""])[0],
       "after": (d.get("weight") or ["", ""])[1]},
    "criterion_removed": lambda d: _("Review criterion removed: %(label)s") % {"label": d.get("label", "")},
    "blind_review_on": lambda d: _("Blind review turned on"),
    "blind_review_off": lambda d: _("Blind review turned off"),
    "call_reviewer_added": lambda d: _("Given a call to review"),
    "call_reviewer_removed": lambda d: _(
        "Taken off a call's review (%(scored)s scored reviews kept, %(taken_back)s taken back)"
    ) % {"scored": d.get("scored", 0), "taken_back": d.get("taken_back", 0)},
    "reviews_assigned": lambda d: ngettext(
        "%(count)s review handed out (%(per)s reviewers per application)",
        "%(count)s reviews handed out (%(per)s reviewers per application)", d.get("count", 0),
    ) % {"count": d.get("count", 0), "per": d.get("per_application", "")},
    "own_data": lambda d: _("Their data, as %(format)s") % {"format": str(d.get("format", "")).upper()},
    "erased": lambda d: _("All their personal data"),
    "nomination_link_added": lambda d: _("Nomination link given to %(organisation)s (%(email)s)")
    % {"organisation": d.get("organisation", ""), "email": d.get("email", "")},
    "nomination_link_withdrawn": lambda d: _("Nomination link of %(organisation)s (%(email)s) withdrawn")
    % {"organisation": d.get("organisation", ""), "email": d.get("email", "")},
    "selection_decided": lambda d: _(
        "Selection of a call decided: %(selected)s selected, %(reserve)s on the reserve lists, %(not_selected)s not "
        "selected"
    ) % {key: d.get(key, 0) for key in ("selected", "reserve", "not_selected")},
    "purged": lambda d: ngettext(
        "%(count)s invitation never answered", "%(count)s invitations never answered", d.get("count", 0)
    ) % {"count": d.get("count", 0)},
}  # fmt: skip
VIEWED_PAGES = ("cohort_page", "day_view", "photo", "attendance", "visa_letter", "certificate", "not_answered",
                "network", "application", "call_applications", "application_review", "call_scores")  # fmt: skip


def describe(details: dict | None, legacy: str = "") -> str:
    """An entry's details in the reader's language; the stored English text of an entry written before details."""
    if not details:
        return legacy
    render = DESCRIBE.get(details.get("code", ""))
    return render(details) if render else legacy or details.get("code", "")


def describe_export(*, kind: str, rows: int) -> str:
    """An export record: what was exported, and how many rows."""
    labels = {
        "cohort_participants": _("Participant list"),
        "cohort_attendance": _("Attendance sheet"),
        "survey_responses": _("Questionnaire answers"),
        "call_applications": _("Applications to a call and their scores"),
    }
    if kind in labels:
        what = labels[kind]
    elif kind.startswith("network-"):  # a nationality's network: network-th
        what = _network({"country": kind.removeprefix("network-").upper()})
    else:  # a programme's or a cohort's network: its slug, then -network
        what = _network({"title": kind.removesuffix("-network")})
    return ngettext("%(what)s (%(rows)s row)", "%(what)s (%(rows)s rows)", rows) % {"what": what, "rows": rows}


def describe_decision(*, from_status: str, to_status: str, reason: str) -> str:
    """A decision on a registration: from which status to which, and why."""
    from .models import RegistrationStatus

    labels = dict(RegistrationStatus.choices)
    text = _("%(before)s → %(after)s") % {
        "before": labels.get(from_status, from_status) if from_status else "–",
        "after": labels.get(to_status, to_status),
    }
    return _("%(change)s: %(reason)s") % {"change": text, "reason": reason} if reason else text
