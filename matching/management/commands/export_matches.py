"""`python manage.py export_matches FILE.csv`: current matches with their score components."""

import csv
import json

from django.core.management.base import BaseCommand

from matching.models import Match
from matching.views._common import csv_safe

COLUMNS = ["need_id", "need_external_ref", "offer_id", "offer_external_id", "rank", "score",
           "components"]


class Command(BaseCommand):
    help = "Write the current matches to a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        rows = (Match.objects.filter(is_current=True).order_by("need_id", "rank", "offer_id")
                .values_list("need_id", "need__external_ref", "offer_id", "offer__external_id",
                             "rank", "score", "components"))
        count = 0
        with open(file, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for need_id, need_ref, offer_id, offer_ref, rank, score, components in rows.iterator(
                chunk_size=5000
            ):
                writer.writerow([need_id, csv_safe(need_ref), offer_id, csv_safe(offer_ref),
                                 rank, score, json.dumps(components, sort_keys=True)])
                count += 1
        self.stdout.write(f"{count} matches written to {file}")
