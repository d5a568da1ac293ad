"""Chinese names of the catalog's audit actions (achievements, demands, packages, imports), for the
record history and the audit log: ``AUDIT_ACTIONS[action]`` → what a clerk reads."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "achievement.create": _("创建成果"),
    "achievement.update": _("修改成果"),
    "achievement.submitted": _("成果提交审核"),
    "achievement.returned": _("成果退回修改"),
    "achievement.published": _("成果审核通过并发布"),
    "achievement.closed": _("成果关闭（下架）"),
    "achievement.attach": _("成果上传附件"),
    "achievement.detach": _("成果删除附件"),
    "achievement.import": _("批量导入成果"),
    "demand.create": _("创建需求"),
    "demand.update": _("修改需求"),
    "demand.submitted": _("需求提交审核"),
    "demand.returned": _("需求退回修改"),
    "demand.published": _("需求审核通过并发布"),
    "demand.closed": _("需求关闭（下架）"),
    "demand.expired": _("需求到期自动关闭"),
    "demand.attach": _("需求上传附件"),
    "demand.detach": _("需求删除附件"),
    "demand.invite": _("邀请机构查看需求"),
    "demand.uninvite": _("取消邀请机构"),
    "demand.import": _("批量导入需求"),
    "import.start": _("开始批量导入"),
    "package.create": _("创建成果包"),
    "package.update": _("修改成果包"),
    "package.published": _("发布成果包"),
    "package.withdrawn": _("撤下成果包"),
}
