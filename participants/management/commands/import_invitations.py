from django.core.management.base import BaseCommand, CommandError

from participants.imports import SheetError, import_rows, read_sheet
from participants.models import Cohort


class Command(BaseCommand):
    help = (
        "Invite the people listed in an Excel sheet to a cohort. Imports every valid row (or, with --strict, "
        "nothing unless every row is valid) and prints a report per row. Exit code 0 only when every row imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx sheet (columns: email, full_name, sector, country, language)")
        parser.add_argument("--cohort", type=int, required=True, help="the cohort's id")
        parser.add_argument("--strict", action="store_true", help="import nothing unless every row is valid")

    def handle(self, *args, file, cohort, strict, **options):
        try:
            cohort_obj = Cohort.objects.select_related("session").get(pk=cohort)
        except Cohort.DoesNotExist as error:
            raise CommandError(f"There is no cohort with id {cohort}.") from error
        try:
            with open(file, "rb") as handle:
                preview = read_sheet(handle.read(), cohort=cohort_obj)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except SheetError as error:
            raise CommandError(str(error)) from error
        imported = import_rows(cohort=cohort_obj, preview=preview, invited_by=None, strict=strict)
        for row in preview.rows:
            if row.valid and imported:
                self.stdout.write(f"row {row.number}: invited {row.values['email']}")
            elif row.valid:
                self.stdout.write(f"row {row.number}: valid, not imported (--strict and other rows were rejected)")
            else:
                self.stdout.write(f"row {row.number}: rejected: {'; '.join(row.errors)}")
        total, rejected = len(preview.rows), len(preview.rejected_rows)
        self.stdout.write(f"{imported} of {total} rows imported, {rejected} rejected.")
        if imported != total:
            raise SystemExit(1)
