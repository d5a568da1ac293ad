import json

from django.core.management.base import BaseCommand

from zhouqiao.search import evaluation


class Command(BaseCommand):
    help = "Retrieval quality of the production ranking vs. plain BM25 on a JSON-lines corpus."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, corpus, out, **options):
        metrics = evaluation.run(corpus, progress=lambda msg: self.stderr.write(msg))
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(metrics, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        self.stdout.write(json.dumps(metrics, ensure_ascii=False, indent=2))
