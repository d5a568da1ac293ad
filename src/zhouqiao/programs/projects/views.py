from django.shortcuts import render


def project_list(request):
    return render(request, "projects/project_list.html")


def manage_list(request):
    return render(request, "projects/project_list.html")


def project_detail(request, pk):
    return render(request, "projects/project_list.html")


def public_report(request, pk):
    return render(request, "projects/project_list.html")


def project_action(request, pk, action):
    return render(request, "projects/project_list.html")


def milestone_action(request, pk, action):
    return render(request, "projects/project_list.html")
