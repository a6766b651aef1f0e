from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .. import access, services, tokens
from ..forms import AccountDeleteForm, AccountForm, ApiTokenForm
from ..middleware import language_cookie_set


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
    return render(request, "portal/dashboard.html", {
        "role": org.kind, "organisation": org,
        "switchable": access.organisations_for_user(user=request.user),
    })


def account_context(request, **overrides) -> dict:
    """What the account page shows; each form on it can be replaced by a bound one."""
    context = {
        "form": AccountForm(instance=request.user),
        "delete_form": AccountDeleteForm(user=request.user),
        "memberships": request.user.memberships.select_related("organisation"),
        "api_tokens": tokens.tokens_for_user(user=request.user),
        "token_form": ApiTokenForm(user=request.user),
        "manages_webhooks": access.webhook_organisations(user=request.user).exists(),
        # ID-porten is offered only where the county configured it (settings).
        "idporten": bool(settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]),
    }
    context.update({k: v for k, v in overrides.items() if v is not None})
    return context


@login_required
def account(request):
    """The user's own data: profile, e-mail and password links, export and deletion (GDPR)."""
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        response = redirect("portal:account")
        if user.language:  # the pages follow the language chosen for e-mails
            language_cookie_set(response, user.language)
        with translation.override(user.language or translation.get_language()):
            messages.success(request, _("Your details are saved."))
        return response
    return render(request, "portal/account.html", account_context(request, form=form))


@login_required
def account_export(request):
    data = services.account_export(user=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="kompetanseportalen-mine-data.json"'
    return response


@login_required
@require_POST
def account_delete(request):
    form = AccountDeleteForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("portal:home")
    return render(request, "portal/account.html", account_context(request, delete_form=form),
                  status=400)


@require_POST
def language_set(request):
    """Django's language switcher, which also remembers the choice on the user: e-mails are
    written in the language the recipient last chose."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
    return response
