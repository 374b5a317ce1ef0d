"""Calls for applications: the public list and pages, the applicant's form and status, and the organiser's set-up
and list of applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses.responses import keep_private

from . import audit_details, selection_selectors, services
from .call_forms import ApplicationForm, CallForm, QuestionForm, field_name
from .models import Answer, Application, ApplicationStatus, Call, CallQuestion, Cohort
from .organiser_views import organiser_required
from .permissions import can_manage_cohorts


def call_list(request):
    """The calls taking applications now; an empty list says what will be here."""
    return render(request, "participants/calls/call_list.html", {"calls": selection_selectors.list_open_calls()})


def call_detail(request, pk: int):
    """Who may apply and until when, in the venue's time zone, and the way to apply."""
    call = selection_selectors.get_public_call(pk=pk)
    if call is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None
    try:
        services.check_call_accepts(call, user=user)
    except services.ApplicationError as error:
        # Someone not signed in may have been nominated: they sign in first, and the page says with which address.
        closed = "" if user is None and getattr(error, "nomination_only", False) else str(error)
    else:
        closed = ""
    context = {"call": call, "session": call.cohort.session.localized, "closed": closed,
               "time_zone": call.cohort.session.time_zone}  # fmt: skip
    if user is not None:
        context["application"] = selection_selectors.get_application_of(user=request.user, call=call)
        context["nomination"] = services.find_nomination(call=call, user=user)
    else:
        apply_url = reverse("participants:call_apply", kwargs={"pk": call.pk})
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': apply_url})}"
        context["signup_url"] = f"{reverse('account_signup')}?{urlencode({'next': apply_url})}"
    response = render(request, "participants/calls/call_detail.html", context)
    return keep_private(response) if user is not None else response  # it names a signed-in person's nomination


@login_required
def call_apply(request, pk: int):
    """The application form in the applicant's language: 'Save draft' keeps whatever is there, 'Submit' sends it."""
    call = selection_selectors.get_public_call(pk=pk)
    if call is None:
        raise Http404
    application = selection_selectors.get_application_of(user=request.user, call=call)
    if application is not None and application.status != ApplicationStatus.DRAFT:
        return redirect("participants:application", pk=application.pk)
    context = {"call": call, "session": call.cohort.session.localized, "time_zone": call.cohort.session.time_zone,
               "application": application}  # fmt: skip
    try:
        services.check_call_accepts(call, user=request.user)
    except services.ApplicationError as error:
        context["closed"] = str(error)
        return keep_private(render(request, "participants/calls/apply_closed.html", context, status=403))
    questions = list(call.questions.all())
    answers = selection_selectors.get_answers(application=application) if application else {}
    form = ApplicationForm(request.POST or None, request.FILES or None, questions=questions, answers=answers)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.save_application(
                call=call, user=request.user, values=form.values(), language=get_language()
            )
            if "submit" in request.POST:
                services.submit_application(application=application)
                messages.success(request, _("Your application is submitted. We sent you an email to confirm it."))
                return redirect("participants:application", pk=application.pk)
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(f"q{key}", problem)
        except services.ApplicationError as error:
            for question in getattr(error, "missing", []):
                form.add_error(field_name(question), _("Answer this question before you submit."))
            form.add_error(None, str(error))
            context["application"] = application
        else:
            messages.success(request, _("Your draft is saved. You can come back to it until the deadline."))
            return redirect("participants:call_apply", pk=call.pk)
    context["form"] = form
    return keep_private(render(request, "participants/calls/apply.html", context))


@login_required
def application_list(request):
    applications = selection_selectors.list_applications_of(user=request.user)
    return keep_private(render(request, "participants/calls/application_list.html", {"applications": applications}))


def _own_or_organised(request, pk: int) -> Application:
    """An application for its applicant or an organiser; nobody else learns that it exists."""
    application = get_object_or_404(
        Application.objects.select_related("call__cohort__session", "user__profile__organisation"), pk=pk
    )
    if application.user_id != request.user.id and not can_manage_cohorts(request.user):
        raise Http404
    if application.user_id != request.user.id:
        services.record_view(
            actor=request.user, details=audit_details.viewed("application"), key=f"application:{pk}",
            cohort_id=application.call.cohort_id, subject=application.user,
        )  # fmt: skip
    return application


@login_required
def application_detail(request, pk: int):
    """An application with its answers: for its applicant and the organisers."""
    application = _own_or_organised(request, pk)
    answers = selection_selectors.get_answers(application=application)
    rows = [(question, answers.get(question.pk)) for question in application.call.questions.all()]
    context = {"application": application, "call": application.call, "rows": rows,
               "session": application.call.cohort.session.localized,
               "time_zone": application.call.cohort.session.time_zone,
               "own": application.user_id == request.user.id}  # fmt: skip
    if not context["own"]:
        from .people import person_of

        context["person"] = person_of(application.user, native_name=True)
    else:
        context["next_step"] = _next_step(application)
    return keep_private(render(request, "participants/calls/application_detail.html", context))


def _next_step(application: Application) -> str:
    """Where a selected applicant goes next: the invitation to accept, or the registration it made."""
    from .models import Invitation
    from .tokens import make_token

    invitation = Invitation.objects.filter(application=application).first()
    if invitation is None:
        return ""
    if invitation.registration_id:
        return reverse("participants:registration", kwargs={"pk": invitation.registration_id})
    if invitation.status == Invitation.Status.PENDING:
        return reverse("participants:invitation", kwargs={"token": make_token(invitation)})
    return ""


@login_required
def application_file(request, pk: int, question: int):
    """A PDF sent with an application, for its applicant and the organisers, never kept by a cache."""
    application = _own_or_organised(request, pk)
    answer = Answer.objects.filter(application=application, question_id=question).exclude(file="").first()
    if answer is None:
        raise Http404
    response = FileResponse(answer.file.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"application-{application.pk}-{question}.pdf")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return keep_private(response)


# --- Organisers ---


@organiser_required
def call_settings(request, pk: int):
    """A cohort's call: who may apply, the dates (at the venue's wall clock), and its questions."""
    cohort = get_object_or_404(Cohort.objects.select_related("session"), pk=pk)
    call = Call.objects.filter(cohort=cohort).first()
    zone = cohort.session.time_zone
    with timezone.override(zone):
        is_call = request.method == "POST" and "save_call" in request.POST
        is_question = request.method == "POST" and "add_question" in request.POST and call is not None
        form = CallForm(request.POST if is_call else None, instance=call or Call(cohort=cohort))
        question_form = QuestionForm(request.POST if is_question else None, prefix="question",
                                     initial={"order": call.questions.count() + 1 if call else 1})  # fmt: skip
        if is_call and form.is_valid():
            try:
                services.save_call(cohort=cohort, changes=form.cleaned_data, by=request.user)
            except services.CallError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The call is saved."))
                return redirect("participants:call_settings", pk=cohort.pk)
        if is_question and question_form.is_valid():
            try:
                services.save_question(call=call, changes=question_form.cleaned_data)
            except services.CallError as error:
                question_form.add_error(None, error)
            else:
                messages.success(request, _("The question is added."))
                return redirect("participants:call_settings", pk=cohort.pk)
        context = {"cohort": cohort, "session": cohort.session.localized, "call": call, "form": form,
                   "question_form": question_form, "time_zone": zone,
                   "questions": list(call.questions.all()) if call else [],
                   "counts": selection_selectors.count_call_applications(call=call) if call else None}  # fmt: skip
        return render(request, "participants/calls/call_settings.html", context)


@organiser_required
def call_question(request, pk: int):
    """Change or remove one question of a call."""
    question = get_object_or_404(CallQuestion.objects.select_related("call__cohort__session"), pk=pk)
    call = question.call
    form = QuestionForm(request.POST or None, instance=question, prefix="question")
    if request.method == "POST" and "delete" in request.POST:
        try:
            services.delete_question(question=question)
        except services.CallError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("participants:call_question", pk=pk)
        messages.success(request, _("The question is removed."))
        return redirect("participants:call_settings", pk=call.cohort_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(call=call, question=question, changes=form.cleaned_data)
        except services.CallError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("participants:call_settings", pk=call.cohort_id)
    context = {"question": question, "call": call, "cohort": call.cohort, "session": call.cohort.session.localized,
               "form": form}  # fmt: skip
    return render(request, "participants/calls/call_question.html", context)


@organiser_required
def call_applications(request, pk: int):
    """A call's applications and their status, with each applicant as every page shows them."""
    from .people import person_of

    call = get_object_or_404(Call.objects.select_related("cohort__session"), pk=pk)
    applications = list(selection_selectors.list_call_applications(call=call))
    nominated_by = selection_selectors.nominating_organisations(call=call)
    for application in applications:
        application.person = person_of(application.user, native_name=True)
        application.nominated_by = nominated_by.get(application.pk, "")
    services.record_view(actor=request.user, details=audit_details.viewed("call_applications"),
                         key=f"call-applications:{pk}", cohort_id=call.cohort_id)  # fmt: skip
    context = {"call": call, "cohort": call.cohort, "session": call.cohort.session.localized,
               "applications": applications}  # fmt: skip
    return keep_private(render(request, "participants/calls/call_applications.html", context))


@organiser_required
def call_applications_export(request, pk: int):
    """A call's applications and their scores as an Excel file, in the organiser's language; the export is logged."""
    import io

    from courses.responses import XLSX, download

    from .exports import export_call_applications

    call = get_object_or_404(Call.objects.select_related("cohort__session"), pk=pk)
    buffer = io.BytesIO()
    export_call_applications(call=call, destination=buffer, user=request.user, language=request.LANGUAGE_CODE)
    return download(buffer.getvalue(), filename=f"{call.cohort.session.slug}-applications.xlsx", content_type=XLSX,
                    private=True)  # fmt: skip
