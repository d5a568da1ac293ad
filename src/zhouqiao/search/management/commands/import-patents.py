from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhouqiao.core import clock
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.search import patents


class Command(BaseCommand):
    help = _("从 CSV 导入专利文献（专利号、名称、摘要、IPC、申请人、申请日），用于查重/查新。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("UTF-8 编码的 CSV 文件"))

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        try:
            result = patents.import_csv(path.read_bytes(), actor=None, filename=path.name, now=clock.now())
        except ValidationFailed as exc:
            for error in exc.detail.get("errors", []):
                self.stderr.write(_("第 %(line)d 行：%(message)s") % error)
            raise CommandError(str(exc.message)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("已导入 %(total)d 条专利（新增 %(created)d，更新 %(updated)d），并已写入检索索引。")
                % {"total": result.total, "created": result.created, "updated": result.updated}
            )
        )
