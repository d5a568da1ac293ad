from zhouqiao.notifications.selectors import HEADER_COUNT_KEY


class FreshTodoCountMiddleware:
    """A person who just changed something sees the header's to-do count recomputed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and hasattr(request, "session"):
            request.session.pop(HEADER_COUNT_KEY, None)
        return self.get_response(request)
