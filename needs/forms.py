"""Forms of the needs app. They collect and check input; services do the writing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.choices import Format, Level
from portal.forms import AccessibleErrorsMixin, SpreadsheetFileField
from portal.models import CompetenceArea, Municipality, Organisation
from portal.widgets import AreaPicker, FastSelect

from .models import Need, SurveyResponse, SurveyRound
from .rules import need_field_errors
from .selectors import area_choice_groups

INDUSTRY_CODE_RE = re.compile(r"^\d{2}(\.\d{1,3})?$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _InputWrittenInPython:
    """Writes the `<input>` exactly as Django's input.html and attrs.html templates do (the
    same attributes in the same order, the same escaping), without two templates per field:
    on step 1 those were a tenth of the page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<input type="{conditional_escape(widget["type"])}" '
                 f'name="{conditional_escape(widget["name"])}"']
        if widget["value"] is not None:
            parts.append(f' value="{conditional_escape(str(widget["value"]))}"')
        for key, attr in widget["attrs"].items():
            if attr is True:
                parts.append(f" {conditional_escape(key)}")
            elif attr is not False:
                parts.append(f' {conditional_escape(key)}="{conditional_escape(str(attr))}"')
        return mark_safe("".join(parts) + ">")  # every piece above was escaped


class TextInput(_InputWrittenInPython, forms.TextInput):
    pass


class NumberInput(_InputWrittenInPython, forms.NumberInput):
    pass


class EmailInput(_InputWrittenInPython, forms.EmailInput):
    pass


# --- step 1: the business profile --------------------------------------------------------


class ProfileForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["industry_code", "employees", "municipality", "contact_name", "contact_email",
                  "contact_phone"]
        help_texts = {"industry_code": _("SN2007 code, for example 02.200 or 55.101.")}
        widgets = {"municipality": FastSelect, "industry_code": TextInput,
                   "employees": NumberInput, "contact_name": TextInput,
                   "contact_email": EmailInput, "contact_phone": TextInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        municipality.queryset = Municipality.objects.order_by("-in_region", "name")
        # Written from (id, name) tuples: a model instance and a template per place cost
        # more than the rest of the step.
        municipality.widget.choices = [
            *([("", municipality.empty_label)] if municipality.empty_label is not None else []),
            *municipality.queryset.values_list("pk", "name")]
        municipality.required = True
        self.fields["employees"].required = True
        self.fields["contact_name"].required = True

    def clean_industry_code(self) -> str:
        code = (self.cleaned_data.get("industry_code") or "").strip()
        if code and not INDUSTRY_CODE_RE.match(code):
            raise forms.ValidationError(_("Enter an SN2007 code like 02.200."))
        return code

    def clean_employees(self) -> int:
        value = self.cleaned_data.get("employees")
        if value is not None and value < 1:
            raise forms.ValidationError(_("A business has at least one employee."))
        return value


# --- step 2: the overall picture ---------------------------------------------------------


class OverallForm(AccessibleErrorsMixin, forms.Form):
    overall_need = forms.ChoiceField(
        label=_("How large is the business's unmet need for competence?"),
        choices=SurveyResponse.OverallNeed.choices, widget=forms.RadioSelect,
    )
    measures = forms.MultipleChoiceField(
        label=_("What does the business do about it?"), required=False,
        choices=SurveyResponse.Measure.choices, widget=forms.CheckboxSelectMultiple,
    )
    barriers = forms.MultipleChoiceField(
        label=_("What stands in the way?"), required=False,
        choices=SurveyResponse.Barrier.choices, widget=forms.CheckboxSelectMultiple,
    )


# --- step 3: the round loop --------------------------------------------------------------


class RepeatedOptionsSelect(FastSelect):
    """A FastSelect whose `<option>`s are written once per list of choices and language, then
    reused: step 3 shows every business asking about an area the same long list of courses
    (one per earlier need). Only the `<select>` tag and the chosen option differ per field."""

    _options_memo: dict[tuple, str] = {}

    def render(self, name, value, attrs=None, renderer=None):
        key = (get_language(), tuple(self.choices))
        options = self._options_memo.get(key)
        if options is None:
            if len(self._options_memo) > 200:
                self._options_memo.clear()
            # Rendered for no value, which FastSelect writes as the empty option chosen.
            blank = super().render(name, None, attrs, renderer).replace(
                '<option value="" selected>', '<option value="">', 1)
            options = self._options_memo[key] = blank[blank.index("><") + 1:-len("</select>")]
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = widget["value"][:1]  # one choice: the first one matching, as FastSelect
        if chosen:
            option = f'<option value="{escape(chosen[0])}">'
            options = options.replace(option, f"{option[:-1]} selected>", 1)
        opening = format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
        return mark_safe(opening + options + "</select>")  # escaped by FastSelect and here


class _FlatChoices(BaseChoiceIterator):
    """(value, label) pairs that need no normalising: the field and then its widget would each
    walk a list of hundreds of courses again on every visit to step 3."""

    def __init__(self, choices: list[tuple[Any, Any]]) -> None:
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


class OutcomeForm(AccessibleErrorsMixin, forms.Form):
    """For one need from an earlier round: was it met, and by which offer?"""

    outcome = forms.ChoiceField(
        label=_("Was the need met?"), required=False,
        choices=Need.Outcome.choices, widget=forms.RadioSelect,
    )
    offer = forms.TypedChoiceField(
        label=_("By which course?"), required=False, coerce=int, empty_value=None,
        widget=RepeatedOptionsSelect,  # hundreds of options, the same for many businesses
    )
    note = forms.CharField(label=_("Comment"), required=False, max_length=300,
                           widget=TextInput)

    def __init__(self, *args: Any, offers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = _FlatChoices([("", _("— none or not listed —")), *offers])


# --- step 4: consent ---------------------------------------------------------------------


class ConsentForm(AccessibleErrorsMixin, forms.Form):
    consent = forms.ChoiceField(
        label=_("What may we do with your answers?"),
        choices=SurveyResponse.Consent.choices, widget=forms.RadioSelect,
        help_text=_("You can change this later. Statistics are always anonymised."),
        error_messages={"required": _("Choose what we may do with your answers.")},
    )


# --- a need ------------------------------------------------------------------------------


class AreaChoiceField(forms.ModelChoiceField):
    """One competence area, chosen in the shared area picker (the offer form's, as radio
    buttons): searchable in nb/nn/en and by synonym, usable by keyboard and without JavaScript."""

    widget = AreaPicker(multiple=False)

    def label_from_instance(self, obj: CompetenceArea) -> str:
        return obj.label


class NeedForm(AccessibleErrorsMixin, forms.ModelForm):
    area = AreaChoiceField(
        label=_("Competence area"), queryset=CompetenceArea.objects.filter(is_active=True),
        help_text=_("Choose the closest area; a main area is fine if nothing fits better."),
    )
    formats = forms.MultipleChoiceField(
        label=_("Accepted formats"), choices=Format.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one format.")},
    )
    level = forms.ChoiceField(
        label=_("Wanted level"), required=False,
        choices=[("", _("Don't know")), *Level.choices],
    )

    class Meta:
        model = Need
        fields = ["area", "title", "description", "participants", "to_train", "to_recruit",
                  "level", "formats", "earliest_start", "latest_start", "max_travel_km",
                  "online_only", "budget_per_participant", "priority", "consequence",
                  "willing_to_share"]
        widgets = {
            "earliest_start": DateInput(),
            "latest_start": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "priority": forms.RadioSelect,
        }
        help_texts = {
            "participants": _("Everyone who will take part, current staff and new hires."),
            "to_train": _(
                "Of the participants: how many are current staff and how many you will "
                "recruit. Together they may not exceed the number of participants; only "
                "current staff count against the business's number of employees."
            ),
            "max_travel_km": _("How far participants can travel, one way. Leave empty if "
                               "it does not matter."),
            "budget_per_participant": _("Optional. In kroner."),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["consequence"].choices = [("", "—"), *Need.Consequence.choices]
        self.fields["participants"].widget.attrs["min"] = 1
        for name in ("to_train", "to_recruit", "max_travel_km"):
            self.fields[name].widget.attrs["min"] = 0
        self.fields["budget_per_participant"].widget.attrs["min"] = 0
        if organisation.employees:
            self.fields["participants"].help_text = _(
                "Everyone who will take part, current staff and new hires. The business has "
                "%(employees)s employees."
            ) % {"employees": organisation.employees}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        errors = need_field_errors(
            participants=data.get("participants"),
            to_train=data.get("to_train"),
            to_recruit=data.get("to_recruit"),
            employees=self.organisation.employees,
            earliest_start=data.get("earliest_start"),
            latest_start=data.get("latest_start"),
            max_travel_km=data.get("max_travel_km"),
            online_only=bool(data.get("online_only")),
            budget=data.get("budget_per_participant"),
            formats=data.get("formats") if "formats" in data else None,
            level=data.get("level") or "",
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def need_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


# --- survey rounds -----------------------------------------------------------------------


class RoundForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = SurveyRound
        fields = ["name", "year", "opens_on", "closes_on", "intro"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].required = False
        self.fields["year"].help_text = _("Leave empty to use the year the round opens.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["opens_on"] > data["closes_on"]:
            self.add_error("closes_on", _("A round cannot close before it opens."))
        return data


# --- import ------------------------------------------------------------------------------


class ImportUploadForm(AccessibleErrorsMixin, forms.Form):
    file = SpreadsheetFileField(
        label=_("CSV or Excel file"),
        help_text=_("Columns: external_ref, orgnr, business_name, municipality_code, "
                    "industry_code, employees, area_code, description, participants, level, "
                    "formats, earliest_start, latest_start, max_travel_km, budget_nok."),
    )
    round = forms.ModelChoiceField(
        label=_("Survey round"), queryset=SurveyRound.objects.order_by("-opens_on"),
        required=False, empty_label=_("— no round —"),
    )


# --- the adviser's list ------------------------------------------------------------------


class AdviserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    round = forms.ModelChoiceField(
        label=_("Survey round"), queryset=SurveyRound.objects.order_by("-opens_on"),
        required=False, empty_label=_("All"), widget=FastSelect,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("-in_region", "name"),
        required=False, empty_label=_("All"), widget=FastSelect,
    )
    area = forms.ModelChoiceField(
        label=_("Competence area"), queryset=CompetenceArea.objects.filter(is_active=True),
        required=False, empty_label=_("All"), widget=FastSelect,
        help_text=_("A main area includes its sub-areas."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Need.Status.choices],
        widget=FastSelect,
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("All")), *Need.Priority.choices],
        widget=FastSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.choices = [("", _("All")), *area_choice_groups()]
        # Tuples, not the field's own iterator: it would build a model instance for each of
        # the county's many municipalities on every visit to the list.
        municipalities = Municipality.objects.order_by("-in_region", "name")
        self.fields["municipality"].widget.choices = [
            ("", _("All")), *municipalities.values_list("pk", "name")]

