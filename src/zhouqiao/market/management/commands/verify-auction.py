import json

from django.core.management.base import BaseCommand, CommandError

from zhouqiao.market import chain
from zhouqiao.market.models import Auction


class Command(BaseCommand):
    help = "Recompute an auction's hash chain and say whether it is intact and where it first breaks."

    def add_arguments(self, parser):
        parser.add_argument("auction_id", type=int)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, auction_id, **options):
        auction = Auction.objects.filter(pk=auction_id).first()
        if auction is None:
            raise CommandError(f"auction {auction_id} does not exist")
        result = chain.verify(auction)
        if options["json"]:
            self.stdout.write(json.dumps({"auction_id": auction_id, **result.as_dict()}, ensure_ascii=False))
        elif result.intact:
            self.stdout.write(
                self.style.SUCCESS(
                    f"auction {auction_id}: chain intact, {result.length} records, head {result.head_hash}"
                    + (f", final hash {result.final_hash}" if result.final_hash else "")
                )
            )
        else:
            self.stdout.write(
                self.style.ERROR(f"auction {auction_id}: chain BROKEN at record {result.broken_at}")
            )
            for problem in result.problems:
                self.stdout.write(f"  {problem}")
        if not result.intact:
            raise SystemExit(1)
