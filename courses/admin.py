from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboundEmail


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log to read (the relay's, the outbox): nothing in it can be added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """The outbox, to see what is waiting or was given up, and try given-up emails again. What an email says (a
    relayed message above all) is never shown here; nothing can be added or edited."""

    list_display = ["key", "created_at", "sent_at", "attempts", "skipped", "failed", "last_error"]
    list_filter = ["failed", "skipped", ("sent_at", admin.EmptyFieldListFilter)]
    date_hierarchy = "created_at"
    search_fields = ["key"]
    fields = ["key", "created_at", "available_at", "queued_at", "leased_until", "attempts", "last_error", "sent_at",
              "skipped", "failed"]  # fmt: skip
    readonly_fields = fields
    actions = ["try_again"]

    @admin.action(description=_("Try the selected emails again now"), permissions=["view"])
    def try_again(self, request, queryset):
        from .outbox import queue

        ids = list(queryset.filter(sent_at__isnull=True, skipped=False).values_list("pk", flat=True))
        OutboundEmail.objects.filter(pk__in=ids).update(failed=False, available_at=timezone.now(), attempts=0)
        queue(ids)
        count = len(ids)
        self.message_user(request, ngettext("%(count)d email queued again.", "%(count)d emails queued again.",
                                            count) % {"count": count}, messages.SUCCESS)  # fmt: skip
