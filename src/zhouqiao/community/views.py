from django.shortcuts import render


def expert_list(request):
    return render(request, "community/expert_list.html")
