"""The account page's personal API tokens: create (the token is shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import tokens
from ..forms import ApiTokenForm
from .pages import account_context


@login_required
@require_POST
def api_token_create(request):
    form = ApiTokenForm(request.POST, user=request.user)
    issued = None
    if form.is_valid():
        try:
            issued = tokens.api_token_create(
                user=request.user, organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"], expires_days=form.cleaned_data["expires_days"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
    # Rendered, not redirected: the token must not travel through a session or a cookie.
    # no-store keeps it out of the browser's cache and history.
    response = render(request, "portal/account.html", account_context(
        request, token_form=form if issued is None else None, issued_token=issued),
        status=201 if issued else 400)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    # Someone else's token id is a 404: tokens are looked up among the user's own only.
    token = get_object_or_404(tokens.tokens_for_user(user=request.user), pk=pk)
    tokens.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("portal:account")
