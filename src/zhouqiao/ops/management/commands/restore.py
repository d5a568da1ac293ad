from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhouqiao.core import clock
from zhouqiao.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `zhouqiao backup` into the configured database (empty, unless "
        "--force) and MEDIA_ROOT, then check row counts, the audit chain and the auction hash chains "
        "against the archive's manifest (exit status 1 on any difference). Stop the site and the task "
        "worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds data, and move a non-empty MEDIA_ROOT aside",
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest, problems = restore_backup(Path(archive), now=clock.now(), force=force)
        except (BackupError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"restored copy differs from the backup of {manifest['created_at']}")
        tables = manifest["tables"]
        self.stdout.write(
            f"restored the backup of {manifest['created_at']}: {len(tables)} tables, "
            f"{sum(tables.values())} rows, {manifest['audit']['records']} audit records (chain verified), "
            f"{manifest['auctions']['auctions']} auctions (hash chains intact), "
            f"{manifest['media_files']} media files"
        )
