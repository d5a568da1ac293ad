from django.shortcuts import render


def question_list(request):
    return render(request, "exchange/question_list.html")


def notice_list(request):
    return render(request, "exchange/notice_list.html")
