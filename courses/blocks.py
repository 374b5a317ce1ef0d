from django.utils.translation import gettext_lazy as _
from wagtail import blocks

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
