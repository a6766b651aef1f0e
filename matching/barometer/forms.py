"""Filters of the barometer pages. Choices come from the data (rounds, the adviser's scope)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PublicFilterForm(forms.Form):
    round = forms.TypedChoiceField(label=_("Survey round"), required=False, coerce=int,
                                   empty_value=None)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)

    def __init__(self, *args, rounds: list[tuple[int, str]], municipalities: list[dict],
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", _("Latest round"))] + [
            (pk, label) for pk, label in reversed(rounds)]
        self.fields["municipality"].choices = [("", _("Whole region"))] + [
            (m["code"], m["name"]) for m in municipalities]


class DashboardFilterForm(PublicFilterForm):
    area = forms.ChoiceField(label=_("Competence area"), required=False)
    section = forms.ChoiceField(label=_("Industry (SN2007 section)"), required=False)

    def __init__(self, *args, areas: list[tuple[str, str]], sections: list[tuple[str, str]],
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas"))] + areas
        self.fields["section"].choices = [("", _("All industries"))] + sections
