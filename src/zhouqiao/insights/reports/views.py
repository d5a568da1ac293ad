from django.shortcuts import render


def report_list(request):
    return render(request, "annual_reports/report_list.html")
