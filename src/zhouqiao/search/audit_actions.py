"""Chinese names of the search app's audit actions, for the audit log."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "search.novelty_report": _("生成查新报告"),
    "search.patents_imported": _("导入专利文献"),
    "saved_search.create": _("保存检索或订阅需求"),
    "saved_search.delete": _("删除保存的检索"),
    "synonym.create": _("新增同义词组"),
    "synonym.update": _("修改同义词组"),
    "synonym.delete": _("删除同义词组"),
}
