from django.contrib import admin

from zhouqiao.programs.challenges.models import Acceptance, Challenge, Proposal


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "status", "deadline", "completion_date")
    list_filter = ("status",)
    search_fields = ("title", "owner__name")
    raw_id_fields = ("owner", "demand", "contract", "created_by", "published_by")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("challenge", "lead", "status", "price", "near_duplicate")
    list_filter = ("status", "near_duplicate")
    raw_id_fields = ("challenge", "lead", "submitted_by")


@admin.register(Acceptance)
class AcceptanceAdmin(admin.ModelAdmin):
    list_display = ("number", "challenge", "passed", "accepted_at")
    raw_id_fields = ("challenge", "witness", "accepted_by", "subsidy_application")
