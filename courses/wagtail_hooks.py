from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation
from .responses import keep_private


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "is_host"]
    search_fields = ["name", "acronym"]


register_snippet(OrganisationViewSet)


@hooks.register("before_serve_page", order=-1)
def explain_alumni_only(page, request, serve_args, serve_kwargs):
    """The alumni space is for alumni and organisers whatever the privacy menu says (it could be set to public):
    anyone signed out is sent to sign in; a signed-in person outside those groups is told why."""
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import render

    from .models import AlumniArticlePage, AlumniSpacePage
    from .permissions import is_alumnus, is_organiser

    if not isinstance(page.specific_deferred, (AlumniSpacePage, AlumniArticlePage)):
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (is_alumnus(user) or is_organiser(user)):
        return keep_private(render(request, "courses/alumni_only.html", {"page": page}, status=403))
    return None
