"""Batch actions on a list page (finance approvals, contract registrations): not all-or-nothing, on
purpose. Each item goes through the same single-item service in its own transaction (row lock, edge
and actor check, its own audit record), so an item a colleague has just handled is reported by name
and the others still pass; two people acting on the same items at once cannot handle one twice."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from zhouqiao.core.errors import DomainError, ValidationFailed

BATCH_LIMIT = 100


@dataclass
class BatchOutcome:
    done: list = field(default_factory=list)  # what the service returned for each item handled
    failed: list = field(default_factory=list)  # (a name the clerk recognises, the refusal in Chinese)


def parse_ids(raw: Iterable) -> list[int]:
    """The selected row ids, refused in Chinese when none, too many or not ids."""
    try:
        ids = sorted({int(pk) for pk in raw})
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("所选事项无效。")) from exc
    if not ids:
        raise ValidationFailed(_("请至少选择一项。"))
    if len(ids) > BATCH_LIMIT:
        raise ValidationFailed(_("一次最多办理%(n)s项。") % {"n": BATCH_LIMIT})
    return ids


def each(
    ids: list[int], *, visible: dict, act: Callable[[int], object], name_of: Callable, missing
) -> BatchOutcome:
    """Run ``act(pk)`` for every id; ``visible`` maps the ids the actor may see to their rows."""
    outcome = BatchOutcome()
    for pk in ids:
        row = visible.get(pk)
        if row is None:
            outcome.failed.append((_("第%(pk)s号事项") % {"pk": pk}, str(missing)))
            continue
        try:
            outcome.done.append(act(pk))
        except DomainError as exc:
            outcome.failed.append((name_of(row), str(exc.message)))
    return outcome
