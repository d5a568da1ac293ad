from django.shortcuts import render


def call_list(request):
    return render(request, "programs/call_list.html")
