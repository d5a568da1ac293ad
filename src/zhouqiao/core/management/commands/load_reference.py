from django.core.management.base import BaseCommand

from zhouqiao.core.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Load regions (GB/T 2260), industries (GB/T 4754), IPC, disciplines (GB/T 13745) and key industries."
    )

    def handle(self, *args, **options):
        counts = load_reference_data()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
