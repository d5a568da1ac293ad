from django.shortcuts import render


def institution_list(request):
    return render(request, "institutions/institution_list.html")


def broker_list(request):
    return render(request, "institutions/broker_list.html")
