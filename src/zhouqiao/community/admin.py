from django.contrib import admin

from zhouqiao.community.models import Expert, ExpertInvitation


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """Read-only: every change of the registry goes through the services (audited) and the pages."""

    list_display = ["name", "organisation", "title", "region", "status", "available"]
    list_filter = ["status", "available"]
    search_fields = ["name", "organisation__name", "keywords"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ExpertInvitation)
class ExpertInvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "jurisdiction", "status", "created_at"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
