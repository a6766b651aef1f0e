"""The webhook endpoint form (the page's); the rules themselves are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import AccessibleErrorsMixin
from ..models import Organisation
from .events import EVENT_TYPES


class WebhookEndpointForm(AccessibleErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("For"), queryset=Organisation.objects.none(), empty_label=None)
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https",
                         help_text=_("Where the portal sends each event with an HTTP POST."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple,
        choices=list(EVENT_TYPES.items()))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organisations, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if editing:
            del self.fields["organisation"]
        else:
            del self.fields["is_active"]
