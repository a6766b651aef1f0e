"""Forms of the shared domain, and the accessibility mixin every app's forms use."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import spreadsheets
from .models import Municipality, Organisation, User
from .services import orgnr_clean


class SpreadsheetFileField(forms.FileField):
    """An uploaded spreadsheet, refused at once (in the form) when its size or type cannot be
    imported; both importers check the same rules (`spreadsheets.upload_check`)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                spreadsheets.upload_check(size=upload.size, filename=upload.name)
            except spreadsheets.SpreadsheetError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload


class AccessibleErrorsMixin:
    """Points each invalid input at its error message (and help text) for screen readers."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
            attrs["aria-describedby"] = " ".join(ids)
            attrs["aria-invalid"] = "true"


class OrgnrForm(AccessibleErrorsMixin, forms.Form):
    orgnr = forms.CharField(
        label=_("Organisation number"), max_length=11,
        help_text=_("Nine digits, from Brønnøysundregistrene. Spaces are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("We are"), widget=forms.RadioSelect,
        choices=[(Organisation.Kind.BUSINESS, _("a business looking for competence")),
                 (Organisation.Kind.PROVIDER, _("an education or course provider"))],
    )

    def clean_orgnr(self) -> str:
        return orgnr_clean(self.cleaned_data["orgnr"])


class OrganisationForm(AccessibleErrorsMixin, forms.ModelForm):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name"),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https",
                             max_length=200)

    class Meta:
        model = Organisation
        fields = ["name", "address", "postal_code", "postal_place", "municipality",
                  "industry_code", "employees", "contact_name", "contact_email",
                  "contact_phone", "website"]
        help_texts = {
            "industry_code": _("SN2007 code, e.g. 55.202 for holiday cabins."),
            "employees": _("Leave empty if you do not know."),
        }


class JoinRequestForm(AccessibleErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the administrator"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AccountForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]
        labels = {"language": _("Language for e-mails")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Not chosen (bokmål)")),
                                           *settings.LANGUAGES]


class AccountDeleteForm(AccessibleErrorsMixin, forms.Form):
    confirm_email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        help_text=_("Your account is deleted at once. Your organisation's data stays."),
    )

    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Without a password (you sign in another way)? Set one with \"Forgot "
                    "password\" first."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self) -> str:
        value = self.cleaned_data["confirm_email"]
        if value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not the e-mail address of your account."))
        return value

    def clean_password(self) -> str:
        # Someone at an unlocked computer must not be able to delete the account.
        value = self.cleaned_data["password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("The password is not correct."))
        return value

class ApiTokenForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100,
        help_text=_("What will use it, e.g. “Course database sync”."))
    organisation = forms.ModelChoiceField(
        label=_("Acts for"), queryset=Organisation.objects.none(), empty_label=None,
        help_text=_("The token can do what you can do for this organisation, nothing more."))
    expires_days = forms.IntegerField(
        label=_("Expires after (days)"), required=False, min_value=1, max_value=3650,
        help_text=_("Leave empty for a token that does not expire."))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user).order_by("name")
