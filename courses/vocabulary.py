"""Fixed vocabularies of the courses app, translated with the interface."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    LABOUR_MIGRATION = "labour_migration", _("Labour migration")
    ANTI_TRAFFICKING = "anti_trafficking", _("Anti-trafficking")
    HUMAN_RIGHTS_DEFENDERS = "human_rights_defenders", _("Protection of human-rights defenders")
    FAIR_RECRUITMENT = "fair_recruitment", _("Fair recruitment")
    WOMEN_MIGRANT_WORKERS = "women_migrant_workers", _("Women migrant workers")
    ACCESS_TO_JUSTICE = "access_to_justice", _("Complaints and access to justice")
    CONSULAR_PROTECTION = "consular_protection", _("Consular protection")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")


# Languages a session can be taught in; the interface itself is English, Arabic and French.
DELIVERY_LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("th", _("Thai")),
    ("km", _("Khmer")),
    ("lo", _("Lao")),
    ("my", _("Burmese")),
    ("vi", _("Vietnamese")),
    ("id", _("Indonesian")),
    ("tl", _("Filipino")),
    ("ne", _("Nepali")),
    ("bn", _("Bengali")),
]
