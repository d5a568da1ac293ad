"""Statuses of filings and annual reports, with who may move them where."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BrokerLevel(models.TextChoices):
    # 《国家技术转移专业人员能力等级培训大纲（试行）》(2020): three grades.
    JUNIOR = "junior", _("初级技术经纪人")
    INTERMEDIATE = "intermediate", _("中级技术经纪人")
    SENIOR = "senior", _("高级技术经理人")


class CertificateStatus(models.TextChoices):
    """The bureau's check of a broker's certificate (技术经纪人证书/登记): only a checked one is shown
    as certified in the public broker list."""

    SUBMITTED = "submitted", _("证书待核验")
    APPROVED = "approved", _("证书已核验")
    RETURNED = "returned", _("证书已退回")


# {from: {to: who}} — "reviewer" is a REVIEWER whose jurisdiction covers the institution's region;
# "institution" an admin of the broker's institution, who corrects and resubmits (by editing).
CERTIFICATE_TRANSITIONS = {
    CertificateStatus.SUBMITTED: {
        CertificateStatus.APPROVED: "reviewer",
        CertificateStatus.RETURNED: "reviewer",
    },
    CertificateStatus.RETURNED: {CertificateStatus.SUBMITTED: "institution"},
    CertificateStatus.APPROVED: {CertificateStatus.SUBMITTED: "institution"},  # the certificate changed
}


class ServiceType(models.TextChoices):
    # The service types of GB/T 34670-2017 《技术转移服务规范》.
    DEVELOPMENT = "development", _("技术开发服务")
    TRANSFER = "transfer", _("技术转让服务")
    SERVICE = "service", _("技术服务")
    CONSULTING = "consulting", _("技术咨询服务")
    EVALUATION = "evaluation", _("技术评价服务")
    FINANCING = "financing", _("技术投融资服务")
    PLATFORM = "platform", _("信息网络平台服务")


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已备案")
    RETURNED = "returned", _("已退回")


# {from: {to: who}} — "institution" is an admin of the institution, "reviewer" a REVIEWER whose
# jurisdiction covers the bureau the filing is made with.
FILING_TRANSITIONS = {
    FilingStatus.SUBMITTED: {FilingStatus.APPROVED: "reviewer", FilingStatus.RETURNED: "reviewer"},
    FilingStatus.RETURNED: {FilingStatus.SUBMITTED: "institution"},
    FilingStatus.APPROVED: {},
}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已提交")
