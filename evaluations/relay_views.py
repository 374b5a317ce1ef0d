"""Messages relayed between alumni by email, without either address showing until the recipient replies."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .alumni_views import alumni_only
from .forms import MessageForm
from .models import ContactBlock, RelayedMessage


@alumni_only
def message_send(request, user_id: int):
    card = selectors.get_card(user_id=user_id)
    if card is None:
        raise Http404
    form = MessageForm(request.POST or None)
    refusal = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = services.relay_message(sender=request.user, recipient_id=user_id,
                                              text=form.cleaned_data["text"])  # fmt: skip
            except services.RelayError as error:
                form.add_error(None, str(error))
            else:
                if sent.sent_now:
                    done = _("Your message was sent to %(name)s. Your address was not shown.")
                else:
                    done = _("Your message to %(name)s will leave in a few minutes: the mail server did not answer "
                             "just now. Your address was not shown.")  # fmt: skip
                messages.success(request, done % {"name": card.name})
                return redirect("evaluations:alumnus", user_id=user_id)
    else:
        # Say at once when a message cannot go, rather than after it was typed.
        try:
            services.check_can_message(sender=request.user, recipient_id=user_id)
        except services.RelayError as error:
            refusal = str(error)
    context = {"card": card, "form": form, "refusal": refusal}
    return render(request, "evaluations/alumni/message_send.html", context, status=400 if form.errors else 200)


@alumni_only
def message_list(request):
    context = {
        "sent": selectors.list_messages_sent(user=request.user),
        "received": selectors.list_messages_received(user=request.user),
        "blocks": selectors.list_blocks(user=request.user),
    }
    return render(request, "evaluations/alumni/messages.html", context)


def _received(request, pk: int, *, first_only: bool = False) -> RelayedMessage:
    try:
        return selectors.get_received_message(user=request.user, message_id=pk, first_only=first_only)
    except RelayedMessage.DoesNotExist:
        raise Http404 from None


@alumni_only
def message_reply(request, pk: int):
    message = _received(request, pk, first_only=True)
    name = selectors.name_of(message.sender)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.relay_reply(replier=request.user, message_id=message.pk, text=form.cleaned_data["text"])
        except services.RelayError as error:
            form.add_error(None, str(error))
        else:
            if reply.sent_now:
                done = _("Your reply was sent to %(name)s, with your email address so that you can go on by email.")
            else:
                done = _("Your reply to %(name)s will leave in a few minutes, with your email address: the mail "
                         "server did not answer just now.")  # fmt: skip
            messages.success(request, done % {"name": name})
            return redirect("evaluations:messages")
    context = {"message": message, "name": name, "form": form}
    return render(request, "evaluations/alumni/message_reply.html", context, status=400 if form.errors else 200)


@alumni_only
def message_block(request, pk: int):
    message = _received(request, pk)
    name = selectors.name_of(message.sender)
    if request.method == "POST":
        services.block_sender(blocker=request.user, message_id=message.pk)
        messages.success(request, _("%(name)s can no longer send you messages. They are not told.") % {"name": name})
        return redirect("evaluations:messages")
    already = selectors.is_blocking(blocker_id=request.user.pk, blocked_id=message.sender_id)
    context = {"message": message, "name": name, "already": already}
    return render(request, "evaluations/alumni/message_block.html", context)


@require_POST
@alumni_only
def unblock(request, pk: int):
    try:
        block = services.unblock_sender(blocker=request.user, block_id=pk)
    except ContactBlock.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("%(name)s can send you messages again.") % {"name": selectors.name_of(block.blocked)})
    return redirect("evaluations:messages")
