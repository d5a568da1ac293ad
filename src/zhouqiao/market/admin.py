from django.contrib import admin

from zhouqiao.market.models import CalendarDay, MarketRules


@admin.register(MarketRules)
class MarketRulesAdmin(admin.ModelAdmin):
    list_display = ["region", "notice_working_days", "extension_window_minutes", "extension_minutes"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
