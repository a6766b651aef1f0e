"""`manage.py import_needs FILE [--dry-run] [--round ID]`: the import page, from a shell."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from needs.importing import import_needs
from needs.models import SurveyRound


class Command(BaseCommand):
    help = "Import earlier survey answers (needs) from a CSV or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--round", type=int, default=None, help="Survey round id.")

    def handle(self, *args, file: str, dry_run: bool, round: int | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        survey_round = None
        if round is not None:
            survey_round = SurveyRound.objects.filter(pk=round).first()
            if survey_round is None:
                raise CommandError(f"No survey round with id {round}")
        try:
            result = import_needs(path.read_bytes(), path.name, round=survey_round,
                                  dry_run=dry_run)
        except ValidationError:
            result = import_needs(path.read_bytes(), path.name, round=survey_round, dry_run=True)
            self._report(result)
            raise CommandError("The file has errors; nothing was imported.") from None
        self._report(result)
        if dry_run and not result.ok:
            raise CommandError("The file has errors.")
        counts = result.counts()
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(
            f"{verb}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['new_businesses']} new businesses."
        ))

    def _report(self, result) -> None:
        for error in result.file_errors:
            self.stderr.write(f"file: {error}")
        for row in result.bad_rows:
            for error in row.errors:
                self.stderr.write(f"row {row.row}: {error}")
