from django.core.management.base import BaseCommand, CommandError

from participants.exports import export_cohort
from participants.models import Cohort


class Command(BaseCommand):
    help = "Export a cohort's participants to an Excel file (the export is logged)."

    def add_arguments(self, parser):
        parser.add_argument("--cohort", type=int, required=True, help="the cohort's id")
        parser.add_argument("--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--language", default="en", choices=["en", "ar", "fr"], help="language of the headers")

    def handle(self, *args, cohort, output, language, **options):
        try:
            cohort_obj = Cohort.objects.select_related("session").get(pk=cohort)
        except Cohort.DoesNotExist as error:
            raise CommandError(f"There is no cohort with id {cohort}.") from error
        if not output.endswith(".xlsx"):
            raise CommandError("The output file must end in .xlsx.")
        rows = export_cohort(cohort=cohort_obj, destination=output, via="command", language=language)
        self.stdout.write(self.style.SUCCESS(f"Wrote {rows} participants of “{cohort_obj.session.title}” to {output}."))
