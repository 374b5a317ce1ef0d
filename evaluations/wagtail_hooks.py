from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Instrument


class InstrumentViewSet(SnippetViewSet):
    model = Instrument
    icon = "list-ul"
    menu_label = _("Questionnaires")
    add_to_admin_menu = True
    list_display = ["title_en", "kind", "level"]
    list_filter = ["kind", "level"]


register_snippet(InstrumentViewSet)
