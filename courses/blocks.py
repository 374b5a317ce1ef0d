from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

METHOD_CHOICES = [
    ("presentation", _("Presentation")),
    ("group_work", _("Group work")),
    ("role_play", _("Role play")),
    ("case_study", _("Case study")),
    ("debate", _("Debate")),
    ("field_visit", _("Field visit")),
]


class ActivityBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    method = blocks.ChoiceBlock(label=_("Method"), choices=METHOD_CHOICES)
    duration_minutes = blocks.IntegerBlock(label=_("Duration (minutes)"), min_value=5, max_value=480)
    instructions = blocks.RichTextBlock(label=_("Instructions"), required=False)
    materials = blocks.TextBlock(label=_("Materials"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Activity")
        template = "blocks/activity_block.html"


class HandoutBlock(DocumentChooserBlock):
    class Meta:
        icon = "doc-full"
        label = _("Handout")


class AgendaItemBlock(blocks.StructBlock):
    start = blocks.TimeBlock(label=_("Starts"), format="%H:%M")
    end = blocks.TimeBlock(label=_("Ends"), format="%H:%M")
    module = blocks.PageChooserBlock(
        label=_("Module"), page_type="courses.ModulePage", required=False,
        help_text=_("A module of this session's programme. Leave empty for breaks, welcome or evaluation."),
    )  # fmt: skip
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    facilitator = blocks.CharBlock(label=_("Facilitator"), required=False, max_length=200)

    class Meta:
        icon = "time"
        label = _("Agenda item")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["start"] and value["end"] and value["end"] <= value["start"]:
            errors["end"] = ErrorList([_("An item must end after it starts.")])
        if not value["module"] and not value["title"]:
            errors["title"] = ErrorList([_("Give the item a title or choose a module.")])
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class DayBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    items = blocks.ListBlock(AgendaItemBlock(), label=_("Items"))

    class Meta:
        icon = "date"
        label = _("Day")
        template = "blocks/day_block.html"

    def clean(self, value):
        value = super().clean(value)
        slots = sorted(
            (item["start"], item["end"], item["title"] or str(item["module"] or "")) for item in value["items"]
        )
        for (start, end, title), (next_start, _next_end, next_title) in zip(slots, slots[1:], strict=False):
            if next_start < end:
                raise StructBlockValidationError(
                    non_block_errors=ErrorList(
                        [
                            _(
                                "“%(first)s” (%(first_start)s–%(first_end)s) overlaps "
                                "“%(second)s” (from %(second_start)s)."
                            )
                            % {
                                "first": title,
                                "first_start": start.strftime("%H:%M"),
                                "first_end": end.strftime("%H:%M"),
                                "second": next_title,
                                "second_start": next_start.strftime("%H:%M"),
                            }
                        ]
                    )
                )
        return value
