"""The organiser's evaluation pages: a cohort's plan with response rates, and each survey's non-responders."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.models import Cohort
from participants.organiser_views import organiser_required

from . import selectors, services
from .models import Survey
from .tokens import make_open_token


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
    context = {"cohort": cohort, "session": cohort.session.localized, "surveys": selectors.list_surveys(cohort=cohort)}
    return render(request, "evaluations/organise/cohort_evaluation.html", context)


@organiser_required
def survey_detail(request, pk: int):
    survey = get_object_or_404(Survey.objects.select_related("instrument", "cohort__session"), pk=pk)
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
    return render(request, "evaluations/organise/survey_detail.html", context)


@organiser_required
@require_POST
def survey_remind(request, pk: int):
    survey = get_object_or_404(Survey, pk=pk)
    try:
        count = services.remind_now(survey=survey, by=request.user)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A reminder is on its way to %(count)s people.") % {"count": count})
    return redirect("evaluations:survey", pk=survey.pk)
