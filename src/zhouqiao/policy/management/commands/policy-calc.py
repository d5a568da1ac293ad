"""``zhouqiao policy-calc --input case.json``: the 政策计算器 on the command line, printing JSON.

Any refusal (unreadable or non-UTF-8 file, bad JSON, a field the calculator refuses) prints one
line naming the field and exits with code 2; never a traceback."""

import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from zhouqiao.policy import engine, parameters


def _no_constant(name: str):
    raise ValueError(f"{name} 不是数字")


def read_case(path: str):
    """The input as JSON, or CommandError (exit code 2) saying what is wrong with it."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115
    except OSError as exc:
        raise CommandError(f"无法读取输入文件：{exc.strerror or exc}", returncode=2) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"输入文件不是 UTF-8 编码（第 {exc.start + 1} 个字节起无法解码）；"
            "请另存为 UTF-8（如从 GBK 转换：iconv -f GBK -t UTF-8）。",
            returncode=2,
        ) from exc
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"输入不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}", returncode=2
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise CommandError(f"输入不是有效的 JSON：{exc}", returncode=2) from exc


class Command(BaseCommand):
    help = "政策计算器：读取假设的技术合同（JSON），输出各方可享受的政策兑现及其依据（JSON）。"

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="输入文件（JSON，UTF-8），“-”表示标准输入")

    def handle(self, *args, **options):
        data = read_case(options["input"])
        try:
            pkgs, region_exists = parameters.effective_packages(), parameters.region_exists
            region_exists("220000")
        except DatabaseError:  # no database (or not migrated): the shipped values, the regions CSV
            self.stderr.write("注意：未能读取数据库中的政策参数调整，按随附的默认参数计算。")
            pkgs, region_exists = engine.shipped_packages(), None
        try:
            results = engine.calculate(data, pkgs=pkgs, region_exists=region_exists)
        except engine.CaseError as exc:
            raise CommandError(f"{exc.field or '输入'}: {exc.message}", returncode=2) from exc
        self.stdout.write(engine.dumps(results))
