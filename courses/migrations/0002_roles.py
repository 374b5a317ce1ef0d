"""Create the role groups and what organisers and partner editors may do in the CMS."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "Organisers"
PARTNER_EDITORS = "Partner editors"
TRAINERS = "Trainers"

PAGE_PERMISSIONS_FOR_ORGANISERS = [
    "add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page",
]
COLLECTION_PERMISSIONS_FOR_ORGANISERS = [
    ("wagtailimages", "image", ["add_image", "change_image", "delete_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "delete_document", "choose_document"]),
]


def _ensure_permissions(apps):
    # Permissions are normally created after all migrations; a data migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    _ensure_permissions(apps)

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    partner_editors, _ = Group.objects.get_or_create(name=PARTNER_EDITORS)
    Group.objects.get_or_create(name=TRAINERS)
    organisers.permissions.add(access_admin)
    partner_editors.permissions.add(access_admin)
    organisers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="courses",
            codename__in=["add_organisation", "change_organisation", "delete_organisation", "view_organisation"],
        )
    )

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS_FOR_ORGANISERS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=organisers, page=root_page, permission=permission)

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, _model, codenames in COLLECTION_PERMISSIONS_FOR_ORGANISERS:
            for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
                GroupCollectionPermission.objects.get_or_create(
                    group=organisers, collection=root_collection, permission=permission
                )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[ORGANISERS, PARTNER_EDITORS, TRAINERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
