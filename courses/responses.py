from django.http import HttpResponse
from django.utils.cache import patch_cache_control

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def keep_private(response):
    """A response about a person (or facilitator notes) that no cache, shared or not, may keep."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def download(content: bytes, *, filename: str, content_type: str, private: bool) -> HttpResponse:
    """A file to save; a private one (personal data, facilitator notes) is never kept by a shared cache."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return keep_private(response) if private else response
