"""Pages for running a session: my sessions, the day view with attendance, badge check-in, the session pack,
and the attendance matrix with its corrections."""

from __future__ import annotations

import datetime
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.permissions import can_see_facilitator_notes, is_organiser, is_trainer
from courses.responses import XLSX, download, keep_private

from . import audit_details, selectors, services
from .forms import AttendanceCorrectionForm, AttendanceForm
from .models import SEATED, Attendance, AttendanceStatus, Cohort, Registration, SessionPack
from .people import person_of
from .permissions import can_manage_cohorts

# One letter per status in the attendance matrix, in the page's language.
INITIALS = {
    AttendanceStatus.PRESENT: lambda: pgettext("attendance initial: present", "P"),
    AttendanceStatus.LATE: lambda: pgettext("attendance initial: late", "L"),
    AttendanceStatus.ABSENT: lambda: pgettext("attendance initial: absent", "A"),
    AttendanceStatus.EXCUSED: lambda: pgettext("attendance initial: excused", "E"),
}


def cohort_for_trainer(view):
    """The cohort named in the URL, for its session's trainers and for organisers; nobody else learns it exists."""

    @wraps(view)
    @login_required
    def wrapper(request, pk: int, *args, **kwargs):
        cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
        if not services.may_take_attendance(request.user, cohort.session):
            raise Http404
        return keep_private(view(request, cohort, *args, **kwargs))

    return wrapper


def way_back(user, cohort: Cohort) -> dict[str, bool]:
    """Where the breadcrumbs lead: organisers to the cohort's page, the session's trainers to their day view."""
    return {"to_cohort": can_manage_cohorts(user), "to_session": services.is_trainer_of(user, cohort.session)}


@login_required
def session_list(request):
    organiser = is_organiser(request.user)
    if not (organiser or is_trainer(request.user)):
        raise Http404
    groups = selectors.list_sessions_for_trainer(user=request.user, include_all=organiser)
    return render(request, "participants/trainer/session_list.html", {"groups": groups, "organiser": organiser})


@cohort_for_trainer
def session_today(request, cohort: Cohort):
    """Today's page while the session runs; otherwise its first (or last) day."""
    session = cohort.session
    today = services.session_today(session)
    day = min(max(today, session.start_date), session.end_date)
    return redirect("participants:session_day", pk=cohort.pk, date=day.isoformat())


@cohort_for_trainer
def session_day(request, cohort: Cohort, date: str):
    session = cohort.session
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError as error:
        raise Http404 from error
    days = services.session_days(session)
    if day not in days:
        raise Http404
    today = services.session_today(session)
    people = selectors.list_day_attendance(cohort=cohort, date=day)
    services.record_view(actor=request.user, details=audit_details.viewed("day_view", date=day),
                         key=f"day:{cohort.pk}:{day}", cohort_id=cohort.pk)  # fmt: skip
    local_session = session.localized.specific
    counts = {status: 0 for status in AttendanceStatus.values}
    for person in people:
        if person.attendance_status:
            counts[person.attendance_status] += 1
    context = {
        "cohort": cohort,
        "session": local_session,
        "day": day,
        "today": today,
        "days": [(number, d) for number, d in enumerate(days, start=1)],
        "day_number": days.index(day) + 1,
        "people": people,
        "tally": [(code, label, counts[code]) for code, label in AttendanceStatus.choices],
        "not_taken": len(people) - sum(counts.values()),
        "statuses": AttendanceStatus.choices,
        "can_record": session.start_date <= day <= today <= session.end_date,
        "agenda": selectors.get_agenda_day(session=local_session, date=day),
        "show_notes": can_see_facilitator_notes(request.user, local_session.get_parent()),
        "organiser": is_organiser(request.user),
        "way_back": way_back(request.user, cohort),
    }
    return render(request, "participants/trainer/session_day.html", context)


@cohort_for_trainer
@require_POST
def attendance_record(request, cohort: Cohort):
    """One tap: JSON for the page's script (which keeps and retries failed taps), a redirect without script."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": _("The tap could not be read.")}, status=400)
    registration = Registration.objects.filter(pk=form.cleaned_data["registration"], cohort=cohort).first()
    if registration is None:
        return JsonResponse({"ok": False, "error": _("This person is not in this session.")}, status=404)
    date = form.cleaned_data["date"]
    try:
        record = services.record_attendance(
            registration=registration, date=date, status=form.cleaned_data["status"], by=request.user,
            expected=form.cleaned_data["expected"] if "expected" in request.POST else None,
        )  # fmt: skip
    except services.AttendanceError as error:
        if wants_json:
            return JsonResponse({"ok": False, "error": str(error)}, status=409)
        messages.error(request, str(error))
    else:
        if wants_json:
            return JsonResponse({"ok": True, "status": record.status, "label": record.get_status_display()})
    return redirect(
        reverse("participants:session_day", kwargs={"pk": cohort.pk, "date": date.isoformat()})
        + f"#person-{registration.pk}"
    )


@login_required
def check_in(request, token: str):
    """Opened from a badge's QR code with the phone's camera: marks today's attendance for the session's trainers."""
    try:
        registration, record, already = services.check_in(token=token, by=request.user)
    except services.AttendanceError as error:
        return keep_private(render(request, "participants/trainer/check_in.html", {"error": str(error)}, status=403))
    profile = getattr(registration.user, "profile", None)
    context = {
        "registration": registration,
        "profile": profile,
        "person": person_of(registration.user, country=registration.country),
        "record": record,
        "already": already,
        "cohort": registration.cohort,
        "session": registration.cohort.session.localized,
        "day_number": services.session_days(registration.cohort.session).index(record.date) + 1,
    }
    return keep_private(render(request, "participants/trainer/check_in.html", context))


@login_required
def participant_photo(request, pk: int):
    """A participant's photo: to themself, and to their session's trainers and organisers if they consented."""
    registration = get_object_or_404(Registration.objects.select_related("user__profile", "cohort__session"), pk=pk)
    profile = getattr(registration.user, "profile", None)
    if profile is None or not profile.photo:
        raise Http404
    own = registration.user_id == request.user.id
    shown = (
        profile.consent_photo
        and registration.status in SEATED
        and services.may_take_attendance(request.user, registration.cohort.session)
    )
    if not (own or shown):
        raise Http404
    if not own:
        services.record_view(actor=request.user, details=audit_details.viewed("photo"), key=f"photo:{registration.pk}",
                             cohort_id=registration.cohort_id, subject=registration.user)  # fmt: skip
    return keep_private(FileResponse(profile.photo.open("rb")))


# --- The session pack ---


@cohort_for_trainer
def pack(request, cohort: Cohort):
    if request.method == "POST":
        services.request_pack(cohort=cohort, by=request.user, language=get_language())
        return redirect("participants:pack", pk=cohort.pk)
    current = SessionPack.objects.filter(cohort=cohort).first()
    fresh = current is not None and current.fingerprint == services.pack_fingerprint(
        cohort=cohort, language=current.language
    )
    if current is not None and not fresh and current.file:
        services.discard_stale_pack(pack=current)
    matrix = selectors.get_attendance_matrix(cohort=cohort)
    context = {
        "cohort": cohort,
        "session": cohort.session.localized,
        "pack": current,
        "fresh": fresh,
        "other_language": current is not None and current.language != get_language(),
        "people": len(matrix["rows"]),
        "certified": sum(1 for row in matrix["rows"] if row["certified"]),
        "needed": matrix["needed"],
        "way_back": way_back(request.user, cohort),
    }
    return render(request, "participants/trainer/pack.html", context)


@cohort_for_trainer
def pack_status(request, cohort: Cohort):
    current = SessionPack.objects.filter(cohort=cohort).first()
    if current is None:
        return JsonResponse({"status": "none"})
    return JsonResponse(
        {"status": current.status, "label": current.get_status_display(), "done": current.done,
         "total": current.total, "percent": current.percent},
    )  # fmt: skip


@cohort_for_trainer
def pack_download(request, cohort: Cohort):
    current = SessionPack.objects.filter(cohort=cohort, status=SessionPack.Status.READY).first()
    if current is None or not current.file:
        raise Http404
    return FileResponse(
        current.file.open("rb"), as_attachment=True, filename=f"{cohort.session.slug}-session-pack.zip",
        content_type="application/zip",
    )  # fmt: skip


# --- Attendance matrix, corrections, close ---


@cohort_for_trainer
def attendance_matrix(request, cohort: Cohort):
    services.record_view(actor=request.user, details=audit_details.viewed("attendance"),
                         key=f"attendance:{cohort.pk}", cohort_id=cohort.pk)  # fmt: skip
    matrix = selectors.get_attendance_matrix(cohort=cohort)
    organiser = is_organiser(request.user)
    people = [row["registration"] for row in matrix["rows"]]
    legend = [(code, label, INITIALS[code]()) for code, label in AttendanceStatus.choices]
    cells = {code: (initial, label) for code, label, initial in legend}
    for row in matrix["rows"]:
        row["cells"] = [cells.get(status) for status in row["statuses"]]
    form = None
    if organiser:
        form = AttendanceCorrectionForm(request.POST or None, people=people, days=matrix["days"])
        if request.method == "POST" and form.is_valid():
            registration = Registration.objects.get(pk=form.cleaned_data["registration"], cohort=cohort)
            try:
                services.correct_attendance(
                    registration=registration, date=form.cleaned_data["date"], status=form.cleaned_data["status"],
                    by=request.user, reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except services.AttendanceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Attendance corrected; the change is logged."))
                return redirect("participants:attendance", pk=cohort.pk)
    context = {
        "cohort": cohort,
        "session": cohort.session.localized,
        **matrix,
        "organiser": organiser,
        "form": form,
        "ended": services.session_today(cohort.session) > cohort.session.end_date,
        "changes": Attendance.objects.none(),
        "legend": legend,
        "way_back": way_back(request.user, cohort),
    }
    if organiser:
        from .models import AttendanceChange

        context["changes"] = list(
            AttendanceChange.objects.filter(registration__cohort=cohort, via=AttendanceChange.Via.CORRECTION)
            .select_related("registration__user__profile__organisation", "actor")
            .order_by("-created_at")[:50]
        )
        for change in context["changes"]:
            change.person = person_of(change.registration.user, country=change.registration.country)
    return render(request, "participants/trainer/attendance.html", context)


@cohort_for_trainer
def attendance_close(request, cohort: Cohort):
    """Close the attendance, once the organiser has seen who becomes attended (and is emailed) or no-show."""
    if not is_organiser(request.user):
        raise Http404
    if request.method != "POST" or "confirmed" not in request.POST:
        context = {
            "cohort": cohort, "session": cohort.session.localized, "way_back": way_back(request.user, cohort),
            "ended": services.session_today(cohort.session) > cohort.session.end_date,
            **selectors.preview_close_attendance(cohort=cohort),
        }  # fmt: skip
        return render(request, "participants/trainer/attendance_close.html", context)
    try:
        counts = services.close_attendance(cohort=cohort, by=request.user)
    except services.AttendanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Attendance closed: %(attended)s attended and joined the alumni, %(no_show)s did not come.") % counts,
        )
    return redirect("participants:attendance", pk=cohort.pk)


@cohort_for_trainer
def attendance_export(request, cohort: Cohort):
    from .exports import export_attendance

    buffer = io.BytesIO()
    export_attendance(cohort=cohort, destination=buffer, user=request.user, language=get_language())
    return download(
        buffer.getvalue(), filename=f"{cohort.session.slug}-attendance.xlsx", content_type=XLSX, private=True
    )
