"""The ranking export (Excel): rank, grade, pillar points and the platform figures the awards of
《长春市进一步加快科技创新发展的若干政策措施》第九条 and 第十二条 are decided on. Every text cell is guarded against formula
injection (``core.spreadsheets.text_cell``)."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zhouqiao.community.institutions import weights
from zhouqiao.core.spreadsheets import text_cell


def _granted_001_9(organisation_id: int, year: int) -> Decimal:
    """The turnover subsidy already computed for the institution under 第九条 in ``year``."""
    from zhouqiao.policy.models import Entitlement

    total = Entitlement.objects.filter(organisation_id=organisation_id, clause="001#9", year=year).aggregate(
        s=Sum("amount")
    )["s"]
    return total or Decimal(0)


def ranking_workbook(year: int, rows: list[dict]) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = _("%(year)s年度绩效排名") % {"year": year}
    header = [
        _("名次"),
        _("机构名称"),
        _("所在地区"),
        _("备案编号"),
        _("备案日期"),
        _("总分"),
        _("等级"),
        *[f"{p.label}（{p.points}）" for p in weights.PILLARS],
        _("促成技术交易数（项）"),
        _("促成技术交易额（元）"),
        _("按第九条已核算补助（元）"),
    ]
    ws.append([text_cell(str(h)) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        score = row["score"]
        org = score.organisation
        filing = org.filing
        values = {i["code"]: i["value"] for i in score.items}
        ws.append(
            [
                row["rank"],
                text_cell(org.name),
                text_cell(org.region.name),
                text_cell(filing.number or ""),
                filing.filed_on,
                score.total,
                text_cell(row["grade"]),
                *[Decimal(score.pillars.get(p.code, "0")) for p in weights.PILLARS],
                int(Decimal(values.get("deal_count", "0"))),
                Decimal(values.get("deal_amount", "0")),
                _granted_001_9(org.pk, year),
            ]
        )
    ws.append([])
    ws.append(
        [
            text_cell(
                str(
                    _("权重来源：%(title)s %(url)s")
                    % {"title": weights.SOURCE_TITLE, "url": weights.SOURCE_URL}
                )
            )
        ]
    )
    ws.append(
        [
            text_cell(
                str(_("一级指标分值有出处；二级指标分值、满分目标值和等级线为平台设定，待主管部门确认。"))
            )
        ]
    )
    ws.column_dimensions["B"].width = 36
    return book
