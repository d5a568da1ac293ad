"""Recompute the county innovation development index of one year from an inputs workbook.

    zhouqiao innovation-index --inputs FILE.xlsx --year N

The workbook is the one a published year offers for download (sheet 指标输入 plus 计算参数 with the
normalisation and weights); without 计算参数 the defaults are used. The ranking is printed, and
when year N is published on this platform every score and rank is compared with the published
ones: any difference is listed and the command fails.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhouqiao.insights.innovation_index import compute as calc
from zhouqiao.insights.innovation_index import workbook
from zhouqiao.insights.innovation_index.models import IndexScore, IndexStatus, IndexYear


class Command(BaseCommand):
    help = "Recompute the county innovation development index of a year from its inputs workbook."

    def add_arguments(self, parser):
        parser.add_argument("--inputs", required=True, help="the inputs workbook (.xlsx)")
        parser.add_argument("--year", required=True, type=int)

    def handle(self, *args, inputs, year, **options):
        path = Path(inputs)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        parsed = workbook.read(path)
        if parsed.errors:
            raise CommandError("\n".join(parsed.errors))
        data = workbook.as_inputs(parsed.rows, year)
        if not data:
            raise CommandError(f"文件中没有{year}年度的数据行。")
        params = parsed.params or {"normalisation": "minmax", "weights": None}
        result = calc.compute(data, normalisation=params["normalisation"], weights=params["weights"])
        for r in result.regions:
            score = calc.rounded(r.score)
            self.stdout.write(
                f"{r.rank or '-':>3}  {r.region_code}  {score if score is not None else '-'}  [{r.rank_min}-{r.rank_max}]"
            )
        published = IndexYear.objects.filter(year=year, status=IndexStatus.PUBLISHED).first()
        if published is None:
            self.stdout.write(f"{year}年度未在本平台发布，仅输出复算结果。")
            return
        stored = {s.region_id: s for s in IndexScore.objects.filter(index_year=published)}
        differences = []
        for r in result.regions:
            s = stored.pop(r.region_code, None)
            if s is None:
                differences.append(f"{r.region_code}：已发布结果中没有该地区")
            elif (s.score, s.rank, s.rank_min, s.rank_max) != (
                calc.rounded(r.score),
                r.rank,
                r.rank_min,
                r.rank_max,
            ):
                differences.append(
                    f"{r.region_code}：已发布 {s.score}（第{s.rank}名），复算 {calc.rounded(r.score)}（第{r.rank}名）"
                )
        differences += [f"{code}：复算结果中没有该地区" for code in stored]
        if differences:
            raise CommandError("复算结果与已发布结果不一致：\n" + "\n".join(differences))
        self.stdout.write(
            self.style.SUCCESS(f"复算结果与{year}年度已发布的{len(result.regions)}个地区得分和排名逐项一致。")
        )
