"""The review work the apps that use experts record, for an expert's history (``history``).

Read through the app registry by model label, so that community does not import programs: a model
that is not installed (or renamed) simply contributes nothing. Other apps may register more sources
with :func:`zhouqiao.community.history.review_source`.
"""

from django.apps import apps
from django.utils.translation import gettext as _

from zhouqiao.community.history import review_source


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@review_source
def call_reviews(expert):
    model = _model("programs.ReviewAssignment")
    if model is None:
        return []
    rows = model.objects.filter(expert_id=expert.pk).select_related("call", "application")
    return [
        (a.assigned_at, f"{a.call.title}：{a.application.title}", _("项目申报评审专家")) for a in rows[:200]
    ]


@review_source
def challenge_reviews(expert):
    model = _model("challenges.ReviewPanel")
    if model is None:
        return []
    rows = model.objects.filter(expert_id=expert.pk).select_related("challenge")
    return [(p.assigned_at, p.challenge.title, _("揭榜挂帅方案评审专家")) for p in rows[:200]]


@review_source
def acceptance_panels(expert):
    model = _model("projects.PanelMember")
    if model is None:
        return []
    rows = model.objects.filter(expert_id=expert.pk).select_related("project")
    return [(p.invited_at, p.project.title, _("项目验收专家")) for p in rows[:200]]
