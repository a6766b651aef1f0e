from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def adviser_home(request):
    return render(request, "placeholder.html")


@login_required
def business_proposals(request):
    return render(request, "placeholder.html")


@login_required
def provider_cohorts(request):
    return render(request, "placeholder.html")
