from django.contrib import admin

from zhouqiao.programs.patent_pool.models import PatentPool


@admin.register(PatentPool)
class PatentPoolAdmin(admin.ModelAdmin):
    """A pool is set up by its jurisdiction's first acquisition; the operator may rename it or name
    the operating agency that holds and lists its patents (its members then act on the market)."""

    list_display = ["name", "region", "holder", "created_at"]
    raw_id_fields = ["holder"]
    readonly_fields = ["region", "created_at"]
