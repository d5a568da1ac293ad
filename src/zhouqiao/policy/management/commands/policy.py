"""``zhouqiao policy export [--output DIR]``: the effective policy parameters as YAML.

The YAML packages in ``policy/packages`` stay the shipped defaults; a bureau's approved changes
live in the database. ``export`` writes each package with those changes in its dated parameter
lists (and its document's status history), in the package schema, so the files load back into
the same effective parameters (README.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhouqiao.policy import parameters


class Command(BaseCommand):
    help = "政策参数：export 导出当前生效的政策参数（YAML，含各地审批通过的调整）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="导出生效的政策参数（YAML）")
        export.add_argument("--output", "-o", help="写入的目录（每个政策文件一个 YAML）；不填则打印")

    def handle(self, *args, **options):
        files = parameters.export()
        target = options.get("output")
        if not target:
            for name, text in files.items():
                self.stdout.write(f"# --- {name}\n{text}")
            return
        folder = Path(target)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法写入 {folder}：{exc.strerror or exc}", returncode=2) from exc
        self.stdout.write(f"已导出 {len(files)} 个政策文件到 {folder}")
