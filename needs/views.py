from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def business_home(request):
    return render(request, "placeholder.html")


@login_required
def adviser_list(request):
    return render(request, "placeholder.html")
