from django.shortcuts import render


def index(request):
    return render(request, "patent_pool/index.html")
