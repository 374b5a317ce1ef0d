"""The organiser's evaluation pages: a cohort's plan with response rates, and each survey's non-responders."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courses import fragment_cache
from courses.responses import keep_private
from participants import audit_details
from participants.models import Cohort
from participants.organiser_views import organiser_required
from participants.services import record_view
from participants.trainer_views import cohort_for_trainer

from . import selectors, services
from .models import Survey
from .tokens import make_open_token


def qr_svg(url: str):
    """The link as an inline SVG QR code, to show on a screen in the training room."""
    import qrcode
    import qrcode.image.svg
    from django.utils.safestring import mark_safe

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # generated from our own URL, no user text


@organiser_required
def cohort_evaluation(request, pk: int):
    cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
    if request.method == "POST":
        try:
            surveys = services.attach_default_plan(cohort=cohort)
        except services.SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)s questionnaires are scheduled.") % {"count": len(surveys)})
        return redirect("evaluations:cohort", pk=cohort.pk)
    summary = selectors.get_cohort_summary(cohort=cohort)
    context = {
        "cohort": cohort,
        "session": cohort.session.localized,
        "surveys": summary["surveys"],
        "levels": summary["levels"],
        "any_results": any(s.answered for s in summary["surveys"]),  # `answered` is set by the summary
        "programme": cohort.session.get_parent(),
    }
    return render(request, "evaluations/organise/cohort_evaluation.html", context)


@organiser_required
def programme_trend(request, pk: int):
    from django.utils.translation import get_language_bidi

    from courses.models import ProgrammePage

    from .charts import bar_chart

    programme = get_object_or_404(ProgrammePage, pk=pk)
    rows = selectors.get_programme_trend(programme=programme)
    charted = [(row["cohort"].session.title, row["satisfaction"]) for row in rows if row["satisfaction"] is not None]
    chart = (
        bar_chart(charted, title=_("Satisfaction by cohort (1–5)"), rtl=get_language_bidi(), maximum=5)
        if charted
        else None
    )
    context = {"programme": programme.localized, "rows": rows, "chart": chart}
    return render(request, "evaluations/organise/programme_trend.html", context)


@organiser_required
def survey_detail(request, pk: int):
    survey = get_object_or_404(Survey.objects.select_related("instrument", "cohort__session"), pk=pk)
    if not survey.anonymous:  # the names of who has not answered yet
        details = audit_details.viewed("not_answered", questionnaire=survey.instrument.title)
        record_view(actor=request.user, details=details, key=f"survey:{survey.pk}", cohort_id=survey.cohort_id)
    context = {
        "survey": survey,
        "cohort": survey.cohort,
        "session": survey.cohort.session.localized,
        "not_answered": [] if survey.anonymous else list(selectors.list_not_answered(survey=survey)),
        "open_link": None,
    }
    if survey.anonymous:
        from django.urls import reverse

        context["open_link"] = request.build_absolute_uri(
            reverse("evaluations:respond_open", kwargs={"token": make_open_token(survey_id=survey.pk)})
        )
        context["qr_code"] = qr_svg(context["open_link"])
    return render(request, "evaluations/organise/survey_detail.html", context)


@organiser_required
def survey_timing(request, pk: int):
    """Change the day, the venue time and the window of one questionnaire of a cohort's plan."""
    from .forms import SurveyTimingForm

    survey = get_object_or_404(Survey.objects.select_related("instrument", "cohort__session"), pk=pk)
    form = SurveyTimingForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_survey(survey=survey, by=request.user, **form.cleaned_data)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The questionnaire's timing is saved."))
            return redirect("evaluations:cohort", pk=survey.cohort_id)
    context = {"survey": survey, "cohort": survey.cohort, "session": survey.cohort.session.localized, "form": form}
    return render(request, "evaluations/organise/survey_timing.html", context)


@organiser_required
def survey_remind(request, pk: int):
    """A page that says who would be emailed, then the reminder (an email cannot be taken back)."""
    survey = get_object_or_404(Survey.objects.select_related("instrument", "cohort__session"), pk=pk)
    if "confirmed" not in request.POST:
        context = {"survey": survey, "cohort": survey.cohort, "session": survey.cohort.session.localized,
                   "count": services.count_remindable(survey=survey)}  # fmt: skip
        return render(request, "evaluations/organise/survey_remind.html", context)
    try:
        count = services.remind_now(survey=survey, by=request.user)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A reminder is on its way to %(count)s people.") % {"count": count})
    return redirect("evaluations:survey", pk=survey.pk)


@organiser_required
def survey_results(request, pk: int):
    from django.utils.translation import get_language_bidi

    from .charts import bar_chart
    from .forms import ACTION_STATUSES

    survey = get_object_or_404(Survey.objects.select_related("instrument"), pk=pk)  # the cohort when needed

    def context() -> dict:
        results = selectors.get_survey_results(survey=survey)
        rtl = get_language_bidi()
        status_labels = dict(ACTION_STATUSES)
        for item in results["questions"]:
            title = item["question"].text
            if item.get("counts") is not None and item["n"]:
                item["chart"] = bar_chart(item["counts"], title=title, rtl=rtl)
            elif item["kind"] == "before_after" and item["n"]:
                item["rows"] = [(_("Before"), item["before"]), (_("After"), item["after"])]
                item["chart"] = bar_chart(item["rows"], title=title, rtl=rtl, maximum=5)
            elif item["kind"] == "action_plan" and item["actions"]:
                item["rows"] = [(str(status_labels[code]), count) for code, count in item["statuses"]]
                if any(count for _label, count in item["rows"]):
                    item["chart"] = bar_chart(item["rows"], title=title, rtl=rtl)
            item["table"] = item.get("counts") or item.get("rows") or []
        return {"survey": survey, "cohort": survey.cohort, "session": survey.cohort.session.localized, **results}

    # Its answers, who was asked (the cohort's registrations), the questions, the session's title.
    topics = [("survey", survey.pk), ("cohort", survey.cohort_id), "instruments", "pages"]
    body = fragment_cache.render(request, "evaluations/organise/survey_results_body.html", context, topics=topics)
    return keep_private(render(request, "evaluations/organise/survey_results.html", {"survey": survey, "body": body}))


@organiser_required
def survey_export(request, pk: int):
    import io

    from django.utils.translation import get_language

    from courses.responses import XLSX, download

    from .exports import export_responses

    survey = get_object_or_404(Survey.objects.select_related("instrument", "cohort__session"), pk=pk)
    buffer = io.BytesIO()
    export_responses(survey=survey, destination=buffer, user=request.user, language=get_language())
    filename = f"{survey.cohort.session.slug}-{survey.instrument.slug}-{survey.opens_at:%Y%m%d}.xlsx"
    return download(buffer.getvalue(), filename=filename, content_type=XLSX, private=True)


@organiser_required
def cohort_report(request, pk: int):
    from django.utils.translation import get_language

    from courses.responses import download

    from .reports import build_cohort_report

    cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
    return download(
        build_cohort_report(cohort=cohort, language=get_language()),
        filename=f"{cohort.session.slug}-evaluation-report.pdf", content_type="application/pdf", private=True,
    )  # fmt: skip


def daily_debrief(request, pk: int):
    """The day's evaluation on one page: for the session's trainers and the organisers."""
    from django.contrib.auth.views import redirect_to_login
    from django.http import Http404
    from django.utils.translation import get_language

    from courses.responses import download
    from participants.services import may_take_attendance

    from .reports import build_daily_debrief

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = get_object_or_404(Survey.objects.select_related("instrument", "cohort__session"), pk=pk, anonymous=True)
    if not may_take_attendance(request.user, survey.cohort.session):
        raise Http404
    return download(
        build_daily_debrief(survey=survey, language=get_language()),
        filename=f"{survey.cohort.session.slug}-debrief-{survey.opens_at:%Y%m%d}.pdf",
        content_type="application/pdf", private=True,
    )  # fmt: skip


@cohort_for_trainer
def room_code(request, cohort: Cohort):
    """For the session's trainers and organisers: the room's QR code, to show on the screen every afternoon."""
    from django.urls import reverse

    from participants.tokens import make_room_token

    link = request.build_absolute_uri(reverse("evaluations:room", kwargs={"token": make_room_token(cohort)}))
    context = {
        "cohort": cohort,
        "session": cohort.session.localized,
        "link": link,
        "qr_code": qr_svg(link),
        "survey": selectors.get_open_anonymous_survey(cohort_id=cohort.pk),
        "upcoming": selectors.get_next_anonymous_survey(cohort_id=cohort.pk),
    }
    return render(request, "evaluations/room_code.html", context)
