"""``zhouqiao policy-calc --input case.json``: the 政策计算器 on the command line, printing JSON."""

import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from zhouqiao.policy import engine


class Command(BaseCommand):
    help = "政策计算器：读取假设的技术合同（JSON），输出各方可享受的政策兑现及其依据（JSON）。"

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="输入文件（JSON），“-”表示标准输入")

    def handle(self, *args, **options):
        path = options["input"]
        try:
            text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
            data = json.loads(text, parse_float=Decimal)
        except OSError as exc:
            raise CommandError(f"无法读取输入文件：{exc}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"输入不是有效的 JSON：{exc}") from exc
        try:
            results = engine.calculate(data)
        except engine.CaseError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(engine.dumps(results))
