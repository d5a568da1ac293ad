from django.utils.translation import gettext_lazy as _

from zhouqiao.notifications.registry import kind

kind("annual_reports.ready", _("年度报告已生成"))
