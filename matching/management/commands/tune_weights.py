"""`python manage.py tune_weights [--dry-run] [--since DATE] [--apply]`: learn the matching
weights from adviser and business decisions (matching/tuning.py) and print nDCG@5 and hit@1
on the newer third of the labels, before and after. Without --dry-run the result waits on the
settings page for an adviser to apply it; --apply applies it at once (kept in the history)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from matching import learning, tuning
from matching.models import TunedWeights


class Command(BaseCommand):
    help = "Learn the matching weights from the advisers' and businesses' decisions."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only print the figures")
        parser.add_argument("--since", help="only decisions from this date (YYYY-MM-DD)")
        parser.add_argument("--apply", action="store_true",
                            help="apply the learnt weights at once instead of offering them")

    def handle(self, *args, dry_run=False, since=None, apply=False, **options):
        since_at = None
        if since:
            try:
                day = dt.date.fromisoformat(since)
            except ValueError as exc:
                raise CommandError(f"--since {since!r} is not a date (use 2027-01-31).") from exc
            since_at = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        result = tuning.tune(current=learning.current_weights(), since=since_at)
        self.stdout.write(f"labels: {result.labels} decisions; needs with a ranking: "
                          f"{result.train_needs} older (train), {result.test_needs} newer (test)")
        if result.problem:
            raise CommandError(result.problem + " Nothing was changed.")
        f = result.figures
        self.stdout.write(f"newer third: nDCG@5 {f['ndcg5_before']:.3f} → {f['ndcg5_after']:.3f}, "
                          f"hit@1 {f['hit1_before']:.3f} → {f['hit1_after']:.3f}")
        for name in learning.WEIGHT_FIELDS:
            self.stdout.write(f"  {name.removeprefix('weight_'):<10} "
                              f"{result.before[name]:.3f} → {result.after[name]:.3f}")
        if dry_run:
            self.stdout.write("dry run: nothing stored.")
            return
        tuned = TunedWeights.objects.create(weights=result.after, figures=f)
        TunedWeights.objects.exclude(pk=tuned.pk).filter(applied=False).update(applied=True)
        if apply:
            learning.tuned_weights_apply(by=None)
            self.stdout.write(self.style.SUCCESS("applied; kept in the weight history."))
        else:
            self.stdout.write(self.style.SUCCESS(
                "stored: an adviser can apply it on the matching settings page."))
