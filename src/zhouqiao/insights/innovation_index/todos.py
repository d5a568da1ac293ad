"""What waits on statistics staff in the innovation index: an open year whose inputs for their
regions are not all entered yet. No text sets a deadline for the index inputs, so none is given."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.notifications.registry import Todo, todo_source


@todo_source(gettext_lazy("待录入的县域创新发展指数数据"))
def index_inputs_to_enter(user):
    if not scope.has_duty(user, Duty.STATISTICS):
        return []
    from zhouqiao.insights.innovation_index import services
    from zhouqiao.insights.innovation_index.models import IndexInput, IndexStatus, IndexYear

    mine = {r.code for r in services.regions_of(user)}
    todos = []
    for index_year in IndexYear.objects.filter(status=IndexStatus.OPEN).order_by("year"):
        have = set(
            IndexInput.objects.filter(index_year=index_year, region_id__in=mine).values_list(
                "region_id", flat=True
            )
        )
        missing = len(mine - have)
        if missing:
            todos.append(
                Todo(
                    title=_("%(y)s年度县域创新发展指数：尚有%(n)s个地区的数据待录入")
                    % {"y": index_year.year, "n": missing},
                    url=reverse("innovation_index:manage"),
                    since=index_year.opened_at,
                    deadline=None,
                )
            )
    return todos
