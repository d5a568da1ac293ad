from django.shortcuts import render


def reserve(request):
    return render(request, "enterprise_profiles/reserve.html")
