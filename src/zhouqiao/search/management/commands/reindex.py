import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhouqiao.core import clock
from zhouqiao.search import indexing


def progress_bar(stream):
    def show(done: int, total: int) -> None:
        width = 40
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        stream.flush()

    return show


class Command(BaseCommand):
    help = _("重建检索索引（成果、需求、机构、专利），并重新拟合语义模型。")

    def handle(self, *args, **options):
        written = indexing.rebuild(now=clock.now(), progress=progress_bar(sys.stdout))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("已写入 %(n)d 条索引文档。") % {"n": written}))
