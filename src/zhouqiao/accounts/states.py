"""Organisation verification: status and who may move it where."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    VERIFIED = "verified", _("已认证")
    RETURNED = "returned", _("已退回")


class Actor(models.TextChoices):
    """Who may take an edge: a reviewer of the organisation's region, or its own admin."""

    REVIEWER = "reviewer", _("属地审核人员")
    ORG_ADMIN = "org_admin", _("机构管理员")


VERIFICATION_TRANSITIONS: dict[str, dict[str, str]] = {
    VerificationStatus.SUBMITTED: {
        VerificationStatus.VERIFIED: Actor.REVIEWER,
        VerificationStatus.RETURNED: Actor.REVIEWER,
    },
    VerificationStatus.RETURNED: {VerificationStatus.SUBMITTED: Actor.ORG_ADMIN},
    # A verified organisation whose particulars turn out wrong is sent back by its reviewer.
    VerificationStatus.VERIFIED: {VerificationStatus.RETURNED: Actor.REVIEWER},
}
# Moves that must say why.
REASON_REQUIRED = {VerificationStatus.RETURNED}
