"""Review of applications: the organisers' rubric, reviewers and scores pages, and the reviewers' own pages (only
the calls given to them, only the applications handed to them; in blind review, no one's name)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.responses import keep_private

from . import audit_details, review_selectors, selection_selectors, services
from .models import Answer, Call, CallQuestion, Criterion
from .organiser_views import organiser_required
from .people import person_of, sorted_people
from .review_forms import AssignForm, BlindReviewForm, ConflictForm, CriterionForm, ReviewerForm, ScoreForm


def _call_context(call: Call) -> dict:
    return {"call": call, "cohort": call.cohort, "session": call.cohort.session.localized}


# --- Organisers ---


@organiser_required
def call_review(request, pk: int):
    """A call's review: its rubric, blind or not, its reviewers and their progress, and the hand-out."""
    call = get_object_or_404(Call.objects.select_related("cohort__session"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    on_call = set(call.reviewers.values_list("user_id", flat=True))
    candidates = sorted_people(
        person_of(user, native_name=False)
        for user in services.reviewer_candidates().exclude(pk__in=on_call).select_related("profile__organisation")
    )
    criterion_form = CriterionForm(request.POST if action == "criterion" else None, prefix="criterion",
                                   initial={"order": call.criteria.count() + 1, "weight": 1})  # fmt: skip
    blind_form = BlindReviewForm(request.POST if action == "blind" else None,
                                 initial={"blind_review": call.blind_review})  # fmt: skip
    reviewer_form = ReviewerForm(request.POST if action == "reviewer" else None, candidates=candidates,
                                 prefix="reviewer")  # fmt: skip
    assign_form = AssignForm(request.POST if action == "assign" else None, prefix="assign")
    try:
        if action == "criterion" and criterion_form.is_valid():
            criterion = services.save_criterion(call=call, changes=criterion_form.cleaned_data, by=request.user)
            messages.success(request, _("The criterion is added."))
            if criterion.reopened:
                messages.warning(request, ngettext(
                    "%(count)s review already scored goes back to its reviewer to mark this criterion: its score "
                    "counts again once marked.",
                    "%(count)s reviews already scored go back to their reviewers to mark this criterion: their scores "
                    "count again once marked.",
                    criterion.reopened,
                ) % {"count": criterion.reopened})  # fmt: skip
            return redirect("participants:call_review", pk=call.pk)
        if action == "blind" and blind_form.is_valid():
            blind = blind_form.cleaned_data["blind_review"]
            services.set_blind_review(call=call, blind=blind, by=request.user)
            messages.success(request, _("Blind review is on.") if blind else _("Blind review is off."))
            return redirect("participants:call_review", pk=call.pk)
        if action == "reviewer" and reviewer_form.is_valid():
            user = get_object_or_404(get_user_model(), pk=reviewer_form.cleaned_data["user"])
            services.add_reviewer(call=call, user=user, by=request.user)
            messages.success(request, _("%(email)s now reviews this call.") % {"email": user.email})
            return redirect("participants:call_review", pk=call.pk)
        if action == "assign" and assign_form.is_valid():
            done = services.assign_reviews(call=call, per_application=assign_form.cleaned_data["per_application"],
                                           by=request.user)  # fmt: skip
            text = ngettext("%(count)s review handed out.", "%(count)s reviews handed out.", done.created) % {
                "count": done.created
            }
            if done.short:
                text += " " + ngettext(
                    "%(count)s application has fewer reviewers than asked: add reviewers, then hand out again.",
                    "%(count)s applications have fewer reviewers than asked: add reviewers, then hand out again.",
                    done.short,
                ) % {"count": done.short}
            (messages.warning if done.short else messages.success)(request, text)
            return redirect("participants:call_review", pk=call.pk)
    except services.ReviewError as error:
        form = {"criterion": criterion_form, "blind": blind_form, "reviewer": reviewer_form,
                "assign": assign_form}[action]  # fmt: skip
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            form.add_error(None, error)
    context = {
        **_call_context(call), "criteria": list(call.criteria.all()), "criterion_form": criterion_form,
        "blind_form": blind_form, "reviewer_form": reviewer_form, "assign_form": assign_form,
        "reviewers": review_selectors.list_reviewers_of(call=call), "has_candidates": bool(candidates),
        "counts": selection_selectors.count_call_applications(call=call), "decided": call.decided_at is not None,
        "reviews_too": request.user.pk in on_call,
    }  # fmt: skip
    for link in context["reviewers"]:
        link.person = person_of(link.user, native_name=False)
    return keep_private(render(request, "participants/reviews/call_review.html", context))


@organiser_required
def criterion_edit(request, pk: int):
    """Change or remove one criterion of a call's rubric."""
    criterion = get_object_or_404(Criterion.objects.select_related("call__cohort__session"), pk=pk)
    call = criterion.call
    form = CriterionForm(request.POST or None, instance=criterion, prefix="criterion")
    try:
        if request.method == "POST" and "delete" in request.POST:
            services.delete_criterion(criterion=criterion, by=request.user)
            messages.success(request, _("The criterion is removed."))
            return redirect("participants:call_review", pk=call.pk)
        if request.method == "POST" and form.is_valid():
            services.save_criterion(call=call, criterion=criterion, changes=form.cleaned_data, by=request.user)
            messages.success(request, _("The criterion is saved."))
            return redirect("participants:call_review", pk=call.pk)
    except services.ReviewError as error:
        if "delete" in request.POST:
            messages.error(request, " ".join(error.messages))
            return redirect("participants:criterion", pk=pk)
        form.add_error(None, error)
    scored = criterion.scores.exists()
    context = {**_call_context(call), "criterion": criterion, "form": form, "scored": scored}
    return render(request, "participants/reviews/criterion.html", context)


@organiser_required
def call_reviewer_remove(request, pk: int, user: int):
    """Confirm, then take a call away from a reviewer (saying what happens to their reviews)."""
    call = get_object_or_404(Call.objects.select_related("cohort__session"), pk=pk)
    member = get_object_or_404(
        get_user_model().objects.select_related("profile__organisation").filter(calls_to_review__call=call), pk=user
    )
    if request.method == "POST":
        try:
            work = services.remove_reviewer(call=call, user=member, by=request.user)
        except services.ReviewError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(email)s no longer reviews this call (%(scored)s scored reviews kept, "
                                        "%(taken_back)s taken back).")
                             % {"email": member.email, "scored": work.scored, "taken_back": work.open})  # fmt: skip
        return redirect("participants:call_review", pk=call.pk)
    context = {**_call_context(call), "member": member, "person": person_of(member, native_name=False),
               "work": services.reviewer_work(call=call, user=member)}  # fmt: skip
    return keep_private(render(request, "participants/reviews/reviewer_remove.html", context))


SCORES_PAGE_SIZE = 100


@organiser_required
def call_scores(request, pk: int):
    """Each sent application with its applicant, each reviewer's score, the mean and the spread; where reviewers
    disagree is marked (and may be shown alone)."""
    call = get_object_or_404(Call.objects.select_related("cohort__session"), pk=pk)
    reviewers, rows = review_selectors.call_scores_table(call=call)
    only_disagreements = request.GET.get("disagree") == "1"
    disagreements = sum(1 for row in rows if row.disagreement)
    if only_disagreements:
        rows = [row for row in rows if row.disagreement]
    services.record_view(actor=request.user, details=audit_details.viewed("call_scores"), key=f"call-scores:{pk}",
                         cohort_id=call.cohort_id)  # fmt: skip
    page = Paginator(rows, SCORES_PAGE_SIZE).get_page(request.GET.get("page"))  # the best first: page 1 matters most
    context = {**_call_context(call), "reviewers": reviewers, "rows": page.object_list, "page": page,
               "disagreements": disagreements, "only_disagreements": only_disagreements,
               "criteria": list(call.criteria.all()), "threshold": selection_selectors.DISAGREEMENT}  # fmt: skip
    return keep_private(render(request, "participants/reviews/call_scores.html", context))


# --- Reviewers ---


@login_required
def review_list(request):
    """The calls given to this reviewer, with their progress."""
    _still_reviews(request)
    links = review_selectors.list_calls_to_review(user=request.user)
    return keep_private(render(request, "participants/reviews/review_list.html", {"links": links}))


def _still_reviews(request) -> None:
    """Taken out of the Reviewers role (or the organisers), a person reaches nothing they were handed any more."""
    if not services.may_be_reviewer(request.user):
        raise Http404


def _label(review) -> dict:
    """How a review's application is named: in blind review only by its number."""
    application = review.application
    if application.call.blind_review:
        return {"number": application.pk, "person": None}
    return {"number": application.pk, "person": person_of(application.user, native_name=True)}


@login_required
def review_call(request, pk: int):
    """The applications handed to this reviewer in one call, scored or not."""
    _still_reviews(request)
    call = review_selectors.get_call_to_review(user=request.user, pk=pk)
    if call is None:
        raise Http404
    reviews = list(review_selectors.list_reviews_of(user=request.user, call=call))
    for review in reviews:
        review.application.call = call  # one call for all: no query per row
        review.label = _label(review)
    done = sum(1 for review in reviews if review.submitted_at or review.conflict)
    context = {**_call_context(call), "reviews": reviews, "done": done}
    return keep_private(render(request, "participants/reviews/review_call.html", context))


def _own_review(request, pk: int):
    _still_reviews(request)
    review = review_selectors.get_own_review(user=request.user, pk=pk)
    if review is None:
        raise Http404
    return review


def _record(request, review) -> None:
    application = review.application
    services.record_view(
        actor=request.user, details=audit_details.viewed("application_review"), key=f"review:{review.pk}",
        cohort_id=application.call.cohort_id, subject=application.user,
    )  # fmt: skip


@login_required
def review_detail(request, pk: int):
    """One application handed to this reviewer: its answers, the rubric (1–5 per criterion), a comment; or the way
    to declare a conflict of interest. In blind review, no name, organisation, country or file."""
    review = _own_review(request, pk)
    application = review.application
    call = application.call
    criteria = list(call.criteria.all())
    form = ScoreForm(request.POST or None, criteria=criteria, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_review(review=review, marks=form.marks(), comment=form.cleaned_data["comment"],
                                  by=request.user)  # fmt: skip
        except services.ReviewError as error:
            if hasattr(error, "error_dict"):
                for key, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(f"c{key}" if f"c{key}" in form.fields else None, problem)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Your marks are saved. You can change them until the organisers decide."))
            return redirect("participants:review_call", pk=call.pk)
    _record(request, review)
    answers = selection_selectors.get_answers(application=application)
    rows = [(question, answers.get(question.pk)) for question in call.questions.all()]
    context = {**_call_context(call), "review": review, "application": application, "rows": rows, "form": form,
               "label": _label(review), "blind": call.blind_review, "criteria": criteria,
               "decided": call.decided_at is not None,
               "mark_fields": [form[f"c{criterion.pk}"] for criterion in criteria]}  # fmt: skip
    return keep_private(render(request, "participants/reviews/review_detail.html", context))


@login_required
def review_conflict(request, pk: int):
    """Declare a conflict of interest with an application: the marks go, the organisers find another reviewer."""
    review = _own_review(request, pk)
    call = review.application.call
    form = ConflictForm(request.POST or None, initial={"note": review.conflict_note})
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(review=review, note=form.cleaned_data["note"], by=request.user)
        except services.ReviewError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your conflict of interest is noted: this application is no longer yours to "
                                        "score."))  # fmt: skip
            return redirect("participants:review_call", pk=call.pk)
    context = {**_call_context(call), "review": review, "label": _label(review), "form": form,
               "decided": call.decided_at is not None}  # fmt: skip
    return keep_private(render(request, "participants/reviews/review_conflict.html", context))


@login_required
def review_file(request, pk: int, question: int):
    """A PDF sent with an application, for its reviewer when the review is not blind (files carry names)."""
    review = _own_review(request, pk)
    if review.application.call.blind_review:
        raise Http404
    answer = (
        Answer.objects.filter(
            application=review.application, question_id=question, question__kind=CallQuestion.Kind.FILE
        )  # fmt: skip
        .exclude(file="")
        .first()
    )
    if answer is None:
        raise Http404
    _record(request, review)
    response = FileResponse(answer.file.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"application-{review.application_id}-{question}.pdf")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return keep_private(response)
