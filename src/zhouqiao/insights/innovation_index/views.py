from django.shortcuts import render


def ranking(request):
    return render(request, "innovation_index/ranking.html")
