from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import access


def home(request):
    return render(request, "portal/home.html")


@login_required
def dashboard(request):
    """Sends each role to its own start page."""
    if access.is_adviser(request.user):
        return render(request, "portal/dashboard.html", {"role": "adviser"})
    org = access.active_organisation(request)
    if org is None:
        return redirect("portal:organisation_start")
    return render(request, "portal/dashboard.html", {"role": org.kind, "organisation": org})


@login_required
def organisation_start(request):
    return render(request, "portal/organisation_start.html")


@login_required
def account(request):
    return render(request, "placeholder.html")
