"""Contract registration: status, types and who may move a registration where."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractType(models.TextChoices):
    """The statutory types of the national registration rules, plus 技术入股 as the seeds name it.
    The Chinese label is also the policy engine's ``contract_type``."""

    DEVELOPMENT = "development", _("技术开发")
    TRANSFER = "transfer", _("技术转让")
    LICENCE = "licence", _("技术许可")
    CONSULTING = "consulting", _("技术咨询")
    SERVICE = "service", _("技术服务")
    EQUITY = "equity", _("技术入股")


ENGINE_TYPE = {
    "development": "技术开发",
    "transfer": "技术转让",
    "licence": "技术许可",
    "consulting": "技术咨询",
    "service": "技术服务",
    "equity": "技术入股",
}


class ContractSubtype(models.TextChoices):
    COMMISSIONED_DEVELOPMENT = "commissioned_development", _("委托开发")
    COOPERATIVE_DEVELOPMENT = "cooperative_development", _("合作开发")
    PATENT_TRANSFER = "patent_transfer", _("专利权转让")
    PATENT_APPLICATION_TRANSFER = "patent_application_transfer", _("专利申请权转让")
    KNOW_HOW_TRANSFER = "know_how_transfer", _("技术秘密转让")
    OTHER_TRANSFER = "other_transfer", _("其他技术转让")
    PATENT_LICENCE = "patent_licence", _("专利实施许可")
    KNOW_HOW_LICENCE = "know_how_licence", _("技术秘密使用许可")
    OTHER_LICENCE = "other_licence", _("其他技术许可")
    CONSULTING = "consulting", _("技术咨询")
    SERVICE = "service", _("技术服务")
    TRAINING = "training", _("技术培训")
    INTERMEDIARY = "intermediary", _("技术中介")
    EQUITY = "equity", _("技术入股")


SUBTYPES = {
    "development": ["commissioned_development", "cooperative_development"],
    "transfer": ["patent_transfer", "patent_application_transfer", "know_how_transfer", "other_transfer"],
    "licence": ["patent_licence", "know_how_licence", "other_licence"],
    "consulting": ["consulting"],
    "service": ["service", "training", "intermediary"],
    "equity": ["equity"],
}


class NonTechnicalKind(models.TextChoices):
    EQUIPMENT = "equipment", _("设备")
    MATERIALS = "materials", _("材料")
    CONSTRUCTION = "construction", _("基建")
    OTHER = "other", _("其他非技术性款项")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待登记审查")
    RETURNED = "returned", _("已退回")
    REGISTERED = "registered", _("已登记")
    REFUSED = "refused", _("不予登记")
    REVERSED = "reversed", _("已撤销登记")


class Actor(models.TextChoices):
    SELLER = "seller", _("卖方（申请登记方）")
    REGISTRAR = "registrar", _("登记机构")


CONTRACT_TRANSITIONS: dict[str, dict[str, str]] = {
    ContractStatus.DRAFT: {ContractStatus.SUBMITTED: Actor.SELLER},
    ContractStatus.SUBMITTED: {
        ContractStatus.REGISTERED: Actor.REGISTRAR,
        ContractStatus.RETURNED: Actor.REGISTRAR,
        ContractStatus.REFUSED: Actor.REGISTRAR,
    },
    ContractStatus.RETURNED: {ContractStatus.SUBMITTED: Actor.SELLER},
    ContractStatus.REGISTERED: {ContractStatus.REVERSED: Actor.REGISTRAR},
}
REASON_REQUIRED = {ContractStatus.RETURNED, ContractStatus.REFUSED, ContractStatus.REVERSED}
EDITABLE = {ContractStatus.DRAFT, ContractStatus.RETURNED}
# The verbs of the pages and the API.
ACTIONS = {
    "submit": ContractStatus.SUBMITTED,
    "register": ContractStatus.REGISTERED,
    "return": ContractStatus.RETURNED,
    "refuse": ContractStatus.REFUSED,
    "reverse": ContractStatus.REVERSED,
}
