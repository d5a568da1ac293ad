from django.shortcuts import render


def target_list(request):
    return render(request, "targets/target_list.html")
