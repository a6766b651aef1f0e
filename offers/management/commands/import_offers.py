"""`manage.py import_offers FILE --provider ORGNR [--provider-name NAME] [--dry-run]
[--publish]`: the web import's read → validate → apply, from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from stdnum.exceptions import ValidationError as OrgnrError
from stdnum.no import orgnr as orgnr_check

from offers import importing
from portal.models import Organisation


class Command(BaseCommand):
    help = "Import offers for one provider from a CSV or .xlsx file (same rules as the web page)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--provider", required=True, help="the provider's organisation number")
        parser.add_argument("--provider-name", default="",
                            help="create the provider organisation with this name if missing")
        parser.add_argument("--dry-run", action="store_true", help="only show what would change")
        parser.add_argument("--publish", action="store_true",
                            help="publish the offers (default: new offers are drafts)")

    def handle(self, *args, file: str, provider: str, provider_name: str, dry_run: bool,
               publish: bool, **options):
        try:
            number = orgnr_check.validate(provider)
        except OrgnrError as exc:
            raise CommandError(f"Invalid organisation number {provider!r}") from exc
        org = Organisation.objects.filter(orgnr=number).first()
        if org is None:
            if not provider_name:
                raise CommandError(
                    f"No organisation {number}; pass --provider-name to create it."
                )
            if dry_run:
                org = Organisation(orgnr=number, name=provider_name,
                                   kind=Organisation.Kind.PROVIDER)
            else:
                org = Organisation.objects.create(orgnr=number, name=provider_name,
                                                  kind=Organisation.Kind.PROVIDER)
                self.stdout.write(f"Created provider {org.name} ({org.orgnr}).")
        if org.kind != Organisation.Kind.PROVIDER:
            raise CommandError(f"{org.name} ({org.orgnr}) is not an education provider.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            df = importing.read_table(path.read_bytes(), path.name)
        except importing.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if org.pk is None:
            org_for_preview = Organisation(pk=-1, kind=Organisation.Kind.PROVIDER)
        else:
            org_for_preview = org
        preview = importing.preview_rows(df, provider=org_for_preview, publish=publish)
        for row in preview.bad_rows:
            self.stderr.write(f"row {row.row} ({row.external_id}): " + " ".join(row.errors))
        counts = preview.counts
        summary = (f"created={counts['create']} updated={counts['update']} "
                   f"unchanged={counts['unchanged']} errors={len(preview.bad_rows)}")
        if preview.bad_rows:
            raise CommandError(f"Nothing imported: {summary}")
        if dry_run:
            self.stdout.write(f"Dry run, nothing saved: {summary}")
            return
        try:
            result = importing.offer_import_apply(provider=org, preview=preview, publish=publish)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"created={result.created} updated={result.updated} unchanged={result.unchanged}"
        ))
