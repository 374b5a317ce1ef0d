from django.apps import AppConfig


class AttacheConfig(AppConfig):
    name = "attache"
    verbose_name = "Attaché"
