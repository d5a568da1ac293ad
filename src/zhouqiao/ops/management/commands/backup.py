from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhouqiao.core import clock
from zhouqiao.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the SQLite backup API) and the media files into "
        "one archive with a manifest of row counts and the audit chain's head."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BACKUP_DIR),
            help="directory for the archive, or a file name ending in .tar.gz (default: BACKUP_DIR)",
        )

    def handle(self, *args, output, **options):
        try:
            archive = create_backup(Path(output), now=clock.now())
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
