"""The figures of an enterprise's innovation profile, the certifications it can hold, and the
states of a listing-reserve entry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationKind(models.TextChoices):
    """The certifications a profile shows. 高新技术企业 and 科技型中小企业 are kept by the vouchers
    app (they decide voucher eligibility, seed 001 #23); this app keeps the kinds vouchers does not
    know, starting with 专精特新“小巨人”, so that every certificate is recorded in one place only."""

    HIGH_TECH = "high_tech", _("高新技术企业")
    TECH_SME = "tech_sme", _("科技型中小企业")
    LITTLE_GIANT = "little_giant", _("专精特新“小巨人”企业")


# Kinds whose rows live in this app (the others are vouchers.Certification rows).
OWN_KINDS = (CertificationKind.LITTLE_GIANT,)


class Figure(models.TextChoices):
    """A figure of the profile that a reserve criterion may set a threshold on."""

    HIGH_TECH = "high_tech", _("是否高新技术企业")
    TECH_SME = "tech_sme", _("是否科技型中小企业")
    LITTLE_GIANT = "little_giant", _("是否专精特新“小巨人”企业")
    CERTIFICATIONS = "certifications", _("持有的有效资质认定（项）")
    SOLD_AMOUNT = "sold_amount", _("登记的技术合同成交额（卖方，元）")
    SOLD_COUNT = "sold_count", _("登记的技术合同（卖方，项）")
    BOUGHT_AMOUNT = "bought_amount", _("登记的技术合同成交额（买方，元）")
    BOUGHT_COUNT = "bought_count", _("登记的技术合同（买方，项）")
    TRANSFORMED = "transformed", _("受让转化的科技成果（项）")
    VOUCHER_AMOUNT = "voucher_amount", _("获得的创新券面额（元）")
    SUBSIDY_AMOUNT = "subsidy_amount", _("核定的政策兑现（元）")
    INSTRUMENT_HOURS = "instrument_hours", _("共享仪器使用机时（小时）")


# Figures that are a yes or a no (a certificate valid on the day: 1 held, 0 not), shown as 是/否
# and set in a criterion with a 是/否 picker rather than a number.
YES_NO_FIGURES = frozenset({Figure.HIGH_TECH, Figure.TECH_SME, Figure.LITTLE_GIANT})

MONEY_FIGURES = frozenset(
    {Figure.SOLD_AMOUNT, Figure.BOUGHT_AMOUNT, Figure.VOUCHER_AMOUNT, Figure.SUBSIDY_AMOUNT}
)

# On a page an amount carries its unit (50万元), so its label drops the "（元）" that the criterion
# form (where yuan are typed) and the spreadsheet (plain numbers) need.
PAGE_LABELS = {
    Figure.SOLD_AMOUNT: _("登记的技术合同成交额（卖方）"),
    Figure.BOUGHT_AMOUNT: _("登记的技术合同成交额（买方）"),
    Figure.VOUCHER_AMOUNT: _("获得的创新券面额"),
    Figure.SUBSIDY_AMOUNT: _("核定的政策兑现"),
}


def page_label(figure: str):
    return PAGE_LABELS.get(figure) or Figure(figure).label


class EntryStatus(models.TextChoices):
    LISTED = "listed", _("在库")
    REMOVED = "removed", _("已移出")
