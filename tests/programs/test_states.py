"""Every edge of the call and application state machines is allowed, every other move refused."""

import pytest

from zhouqiao.core.errors import InvalidTransition
from zhouqiao.programs import services
from zhouqiao.programs.models import Application, Call
from zhouqiao.programs.states import APPLICATION_MOVES, CALL_MOVES, ApplicationStatus, CallStatus


@pytest.mark.parametrize("start", list(CallStatus))
@pytest.mark.parametrize("to", list(CallStatus))
def test_call_moves(start, to):
    call = Call(status=start)
    if to in CALL_MOVES[start]:
        services._move_call(call, to)
        assert call.status == to
    else:
        with pytest.raises(InvalidTransition):
            services._move_call(call, to)
        assert call.status == start


@pytest.mark.parametrize("start", list(ApplicationStatus))
@pytest.mark.parametrize("to", list(ApplicationStatus))
def test_application_moves(start, to):
    application = Application(status=start)
    if to in APPLICATION_MOVES[start]:
        services._move(application, to)
        assert application.status == to
    else:
        with pytest.raises(InvalidTransition) as exc:
            services._move(application, to)
        assert "不能进行此操作" in str(exc.value.message)
        assert application.status == start
