from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def catalogue(request):
    return render(request, "placeholder.html")


@login_required
def provider_home(request):
    return render(request, "placeholder.html")
