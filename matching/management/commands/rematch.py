"""`python manage.py rematch [--need ID] [--offer ID]`: the engine, synchronously, no broker."""

from dataclasses import asdict

from django.core.management.base import BaseCommand

from matching import engine
from matching.cohorts import cohorts_rebuild


class Command(BaseCommand):
    help = "Match needs against offers now (all of them without options), then rebuild cohorts."

    def add_arguments(self, parser):
        parser.add_argument("--need", type=int, action="append", default=[])
        parser.add_argument("--offer", type=int, action="append", default=[])

    def handle(self, *args, need: list[int], offer: list[int], **options):
        if need or offer:
            for need_id in need:
                self._report(f"need {need_id}", engine.match_need(need_id=need_id))
            for offer_id in offer:
                self._report(f"offer {offer_id}", engine.match_offer(offer_id=offer_id))
        else:
            self._report("all needs", engine.match_needs())
        cohorts = cohorts_rebuild()
        # Counts only: the keys of every new opportunity would fill the terminal.
        summary = {k: v for k, v in asdict(cohorts).items()
                   if k not in ("keys", "new_opportunities")}
        self.stdout.write(f"cohorts: {summary}")

    def _report(self, what: str, result) -> None:
        self.stdout.write(
            f"{what}: {result.needs} needs × {result.offers} offers, "
            f"{result.pairs_considered} pairs considered, {result.matches_written} matches kept "
            f"(load {result.seconds_loading:.2f} s, score {result.seconds_scoring:.2f} s, "
            f"write {result.seconds_writing:.2f} s)")
