"""Stable messages reused by several market services."""

from django.utils.translation import gettext_lazy as _

NOT_ALLOWED = _("您无权执行此操作。")
NOT_MEMBER = _("您不是该机构的成员，不能代表其进行交易。")
NOT_VERIFIED = _("只有通过认证的机构才能参与竞买或登记受让意向。")
NO_ORGANISATION = _("请先加入或注册一个机构，再参与交易。")
LOT_NOT_PUBLISHED = _("只有已发布的科技成果才能进入交易。")
