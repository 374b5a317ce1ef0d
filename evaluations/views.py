"""Answering a questionnaire: a personal link (no password needed) or, for anonymous daily evaluations, the
room's shared link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courses.responses import keep_private

from . import selectors, services
from .forms import ACTION_PLAN_ROWS, ACTION_STATUSES, answers_from_post
from .models import QuestionKind, Survey
from .tokens import InvalidToken, read_open_token, read_token

ANSWERED_COOKIE = "attache-answered-{pk}"


def _invalid(request):
    context = {"message": _("This link is not valid.")}
    return keep_private(render(request, "evaluations/closed.html", context, status=404))


def _with_answers(questions, answers) -> None:
    """Each question carries its current answer, in the shape its inputs need."""
    from .selectors import _fits

    for question in questions:
        value = answers.get(question.key)
        if value is not None and not _fits(question.kind, value):
            value = None  # the question changed since this answer: ask again rather than fail
        question.answer = value
        if question.kind in (QuestionKind.MULTIPLE, QuestionKind.COHORT_MEMBERS):
            question.chosen = {str(item) for item in value or []}
        if question.kind == QuestionKind.BEFORE_AFTER:
            question.before = str((value or {}).get("before", ""))
            question.after = str((value or {}).get("after", ""))
        if question.kind == QuestionKind.ACTION_PLAN:
            items = list(value or [])
            # Always one empty row more than the plan has, so that an action can be added to a carried plan.
            blank = {"action": "", "status": "", "note": ""}
            question.rows = items + [blank] * max(1, ACTION_PLAN_ROWS - len(items))
        if question.kind in (QuestionKind.LIKERT, QuestionKind.SINGLE):
            question.chosen_one = str(value) if value is not None else ""


def _context(survey, questions, answers, *, user_id=None, error=""):
    _with_answers(questions, answers)
    members = []
    if any(q.kind == QuestionKind.COHORT_MEMBERS for q in questions):
        members = selectors.list_cohort_members(survey=survey, exclude_user_id=user_id)
    return {
        "survey": survey,
        "session": survey.cohort.session.localized,
        "questions": questions,
        "answers": answers,
        "members": members,
        "likert": range(1, 6),
        "action_rows": range(ACTION_PLAN_ROWS),
        "action_statuses": ACTION_STATUSES,
        "error": error,
    }


def respond(request, token: str):
    """An identified questionnaire, through the person's own signed link: saved as a draft or submitted,
    and editable until it closes."""
    try:
        survey_id, user_id = read_token(token)
    except InvalidToken:
        return _invalid(request)
    survey = get_object_or_404(Survey.objects.select_related("instrument", "cohort__session"), pk=survey_id)
    if request.user.is_authenticated and request.user.pk != user_id:
        message = _("This link was sent to someone else. Sign out to use it, or open your own link.")
        return keep_private(render(request, "evaluations/closed.html", {"message": message}, status=403))
    from django.contrib.auth import get_user_model

    user = get_object_or_404(get_user_model(), pk=user_id)
    try:
        services.check_open(survey)
    except services.SurveyError as error:
        return keep_private(render(request, "evaluations/closed.html", {"message": str(error), "survey": survey}))
    questions = selectors.list_questions(survey=survey)
    response = selectors.get_response(survey=survey, user=user)
    answers = dict(response.answers) if response else {}
    for question in questions:
        if question.kind == QuestionKind.ACTION_PLAN and not answers.get(question.key):
            carried = selectors.get_carried_action_plan(survey=survey, user=user)
            if carried:
                answers[question.key] = carried
    error = ""
    if request.method == "POST":
        submit = "submit" in request.POST
        data = answers_from_post(questions, request.POST)
        try:
            services.save_response(survey=survey, user=user, data=data, submit=submit)
        except services.SurveyError as problem:
            error = str(problem)
            answers = {key: value for key, value in data.items() if value}
        else:
            if submit:
                return redirect("evaluations:thanks")
            messages.success(request, _("Saved. You can come back to this link until the questionnaire closes."))
            return redirect(request.path)
    context = _context(survey, questions, answers, user_id=user.pk, error=error)
    context.update(response=response, identified=True)
    return keep_private(render(request, "evaluations/respond.html", context, status=400 if error else 200))


def respond_open(request, token: str):
    """An anonymous questionnaire through the room's shared link: answers are never linked to anyone."""
    try:
        survey_id = read_open_token(token)
    except InvalidToken:
        return _invalid(request)
    survey = get_object_or_404(Survey.objects.select_related("instrument", "cohort__session"), pk=survey_id)
    try:
        services.check_open(survey)
    except services.SurveyError as error:
        return keep_private(render(request, "evaluations/closed.html", {"message": str(error), "survey": survey}))
    cookie = ANSWERED_COOKIE.format(pk=survey.pk)
    if request.COOKIES.get(cookie):
        return redirect("evaluations:thanks")
    questions = selectors.list_questions(survey=survey)
    error, answers = "", {}
    if request.method == "POST":
        data = answers_from_post(questions, request.POST)
        try:
            services.save_anonymous_response(survey=survey, data=data, user=request.user)
        except services.SurveyError as problem:
            error = str(problem)
            answers = {key: value for key, value in data.items() if value}
        else:
            response = redirect("evaluations:thanks")
            response.set_cookie(cookie, "1", max_age=60 * 60 * 24 * 30, httponly=True, samesite="Lax")
            return response
    context = _context(survey, questions, answers, error=error)
    context.update(identified=False)
    return keep_private(render(request, "evaluations/respond.html", context, status=400 if error else 200))


def thanks(request):
    return render(request, "evaluations/thanks.html")


@login_required
def my_questionnaires(request):
    """The questionnaires open now for the signed-in person, with their personal links."""
    return keep_private(
        render(request, "evaluations/mine.html", {"surveys": selectors.list_open_for(user=request.user)})
    )


def room(request, token: str):
    """The training room's link (a QR code on the screen, every day the same): today's anonymous evaluation."""
    from participants.tokens import InvalidToken as InvalidRoomToken
    from participants.tokens import read_room_token

    from .tokens import make_open_token

    try:
        cohort_id = read_room_token(token)
    except InvalidRoomToken:
        return _invalid(request)
    survey = selectors.get_open_anonymous_survey(cohort_id=cohort_id)
    if survey is not None:
        return redirect("evaluations:respond_open", token=make_open_token(survey_id=survey.pk))
    upcoming = selectors.get_next_anonymous_survey(cohort_id=cohort_id)
    return keep_private(render(request, "evaluations/room_closed.html", {"upcoming": upcoming}))
