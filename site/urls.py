from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import JavaScriptCatalog, set_language
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from attache import account_views, privacy_views, views

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("ping", views.ping, name="ping"),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    # The language switcher is on every page; without a CSRF token there, public pages can be cached for all.
    # Switching the language is all it does: nothing to forge.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]

urlpatterns += i18n_patterns(
    path("accounts/2fa/continue/", account_views.continue_after_mfa, name="mfa_continue"),
    path("accounts/", include("allauth.urls")),
    path("my-data/", privacy_views.my_data, name="my_data"),
    re_path(r"^my-data/attache-my-data\.(?P<kind>json|xlsx)$", privacy_views.my_data_download, name="my_data_download"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("courses.urls")),
    path("", include("participants.urls")),
    path("", include("evaluations.urls")),
    # The site's home page, named so that redirects land in the visitor's language.
    path("", wagtail_views.serve, {"path": ""}, name="home"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
