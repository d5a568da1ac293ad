"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Authentication: the browser session (with CSRF) or a personal token (``Authorization: Bearer zq_…``).
Errors are ``{"code", "message", "detail"}`` with 400/401/403/404/409/422.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zhouqiao.accounts.api import router as accounts_router
from zhouqiao.accounts.auth import anonymous, api_auth
from zhouqiao.catalog.api import router as catalog_router
from zhouqiao.community.api import router as community_router
from zhouqiao.community.events.api import router as events_router
from zhouqiao.community.exchange.api import router as exchange_router
from zhouqiao.community.institutions.api import router as institutions_router
from zhouqiao.contracts.api import router as contracts_router
from zhouqiao.core.api import router as core_router
from zhouqiao.core.bounds import AMOUNT_ERROR, BodyRejected, BoundedJSONParser
from zhouqiao.core.errors import DomainError
from zhouqiao.facilities.api import router as facilities_router
from zhouqiao.insights.api import router as insights_router
from zhouqiao.insights.enterprises.api import router as enterprises_router
from zhouqiao.insights.innovation_index.api import router as innovation_index_router
from zhouqiao.insights.reports.api import router as annual_reports_router
from zhouqiao.insights.targets.api import router as targets_router
from zhouqiao.market.api import router as market_router
from zhouqiao.policy.api import router as policy_router
from zhouqiao.programs.api import router as programs_router
from zhouqiao.programs.challenges.api import router as challenges_router
from zhouqiao.programs.patent_pool.api import router as patent_pool_router
from zhouqiao.programs.projects.api import router as projects_router
from zhouqiao.search.api import router as search_router
from zhouqiao.vouchers.api import router as vouchers_router
from zhouqiao.web.opendata_api import router as opendata_router

api = NinjaAPI(
    title="Zhouqiao 舟桥 API",
    version="1",
    urls_namespace="api",
    auth=[*api_auth, anonymous],
    docs_url="/docs",
    parser=BoundedJSONParser(),  # numbers as Decimal, nesting bounded (core.bounds)
)


def error(request, status: int, code: str, message, detail=None):
    return api.create_response(
        request, {"code": code, "message": str(message), "detail": detail or {}}, status=status
    )


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return error(request, exc.status, exc.code, exc.message, exc.detail)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc):
    # An amount refused by core.money names its reason in Chinese: that sentence is the message.
    reasons = [e["msg"] for e in exc.errors if e.get("type") == AMOUNT_ERROR]
    message = reasons[0] if reasons else _("提交的数据格式不正确。")
    return error(request, 422, "validation_failed", message, {"errors": exc.errors})


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error(request, 401, "unauthenticated", _("请先登录或提供有效的访问令牌。"))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", _("记录不存在或您无权查看。"))


@api.exception_handler(DjangoPermissionDenied)
def _forbidden(request, exc):
    return error(request, 403, "forbidden", _("您无权执行此操作。"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, BodyRejected):  # the JSON parser refused the body (core.bounds)
        return error(request, 400, cause.code, cause.message)
    if exc.status_code == 400 and cause is not None:  # unreadable body (too large, not JSON …)
        return error(request, 400, "bad_request", _("请求内容无法读取。"))
    return error(request, exc.status_code, "error", exc.message)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc):
    return error(request, 400, "bad_request", _("请求内容无法读取。"))


logger = logging.getLogger("django.request")


@api.exception_handler(Exception)
def _server_error(request, exc):
    """Anything else is our fault: logged with its traceback (and re-raised by Django's test
    client through the signal), answered in the error shape whatever ``DEBUG`` says."""
    got_request_exception.send(sender=None, request=request)
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
    return error(request, 500, "server_error", _("服务器出错，请稍后再试。"))


# --- the URLconf's error views: JSON under /api/, the Chinese pages elsewhere -----------------------


def _api_path(request) -> bool:
    return request.path.startswith("/api/")


def _json(status: int, code: str, message) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": str(message), "detail": {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def bad_request(request, exception=None):
    from zhouqiao.web import views

    if _api_path(request):
        return _json(400, "bad_request", _("请求内容无法读取。"))
    return views.bad_request(request, exception)


def permission_denied(request, exception=None):
    from zhouqiao.web import views

    if _api_path(request):
        return _json(403, "forbidden", _("您无权执行此操作。"))
    return views.permission_denied(request, exception)


def page_not_found(request, exception=None):
    from zhouqiao.web import views

    if _api_path(request):
        return _json(404, "not_found", _("记录不存在或您无权查看。"))
    return views.page_not_found(request, exception)


def server_error(request):
    from zhouqiao.web import views

    if _api_path(request):
        return _json(500, "server_error", _("服务器出错，请稍后再试。"))
    return views.server_error(request)


api.add_router("/", core_router)
api.add_router("/", accounts_router)
api.add_router("/catalog", catalog_router)
api.add_router("/search", search_router)
api.add_router("/market", market_router)
api.add_router("/contracts", contracts_router)
api.add_router("/policy", policy_router)
api.add_router("/vouchers", vouchers_router)
api.add_router("/facilities", facilities_router)
api.add_router("/community/institutions", institutions_router)
api.add_router("/community/events", events_router)
api.add_router("/community", community_router)
api.add_router("/exchange", exchange_router)
api.add_router("/insights/index", innovation_index_router)
api.add_router("/insights/targets", targets_router)
api.add_router("/insights/reports", annual_reports_router)
api.add_router("/insights/enterprises", enterprises_router)
api.add_router("/insights", insights_router)
api.add_router("/programs/challenges", challenges_router)
api.add_router("/programs/projects", projects_router)
api.add_router("/programs/patent-pool", patent_pool_router)
api.add_router("/programs", programs_router)
api.add_router("/open-data", opendata_router)
