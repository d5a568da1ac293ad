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
    from django.db.models import Count, Q

    from zhouqiao.insights.innovation_index import services
    from zhouqiao.insights.innovation_index.models import IndexStatus, IndexYear

    mine = [r.code for r in services.regions_of(user)]  # one query
    if not mine:
        return []
    years = IndexYear.objects.filter(status=IndexStatus.OPEN).annotate(
        entered=Count("inputs", filter=Q(inputs__region_id__in=mine))
    )  # and one more
    return [
        Todo(
            title=_("%(y)s年度县域创新发展指数：尚有%(n)s个地区的数据待录入")
            % {"y": index_year.year, "n": len(mine) - index_year.entered},
            url=reverse("innovation_index:manage"),
            since=index_year.opened_at,
            deadline=None,
        )
        for index_year in years.order_by("year")
        if index_year.entered < len(mine)
    ]
