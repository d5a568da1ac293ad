from django.utils.translation import gettext_lazy as _

from zhouqiao.core.errors import ValidationFailed

NOT_ALLOWED = _("您无权执行此操作。")
NOT_OWNER = _("只有所属机构的成员可以执行此操作。")
NOT_EDITABLE = _("只有草稿或已退回的记录可以修改，请等待审核结果。")
ORG_UNVERIFIED = _("所属机构尚未通过认证，认证通过后才能提交审核。")
REASON_MISSING = _("退回时必须填写理由。")
CLOSE_REASON_MISSING = _("请选择关闭原因。")
CLOSE_REASON_INVALID = _("关闭原因不正确，请从列表中选择。")
CLOSE_REASON_NO_DEAL = _("该需求在平台上没有成交记录，不能选择“已通过平台成交解决”，请选择其他关闭原因。")
DEADLINE_PASSED = _("截止日期已过，请修改截止日期后再提交。")
NOT_YET_EXPIRED = _("需求截止日期未到，不能置为过期。")


def invalid(errors: dict, message=None) -> ValidationFailed:
    """A ValidationFailed carrying every field's Chinese messages in ``detail``."""
    first = next(iter(errors.values()))[0] if errors else ""
    return ValidationFailed(message or first or _("提交的数据不正确。"), detail=errors)
