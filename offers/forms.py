"""Forms stay thin: they parse input; the domain rules live in `services.offer_validate`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.choices import Format, Level
from portal.filter_forms import reference_memo
from portal.forms import SpreadsheetFileField
from portal.models import CompetenceArea, Municipality
from portal.page_cache import group_version
from portal.widgets import AreaPicker, FastSelect

from .models import Offer
from .services import EDITABLE_FIELDS, offer_validate


def link_errors(form: forms.Form) -> None:
    """Point each invalid input at its error message (`templates/offers/_field.html`)."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            attrs["aria-describedby"] = f"id_{name}_error"
            attrs["aria-invalid"] = "true"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CompetenceArea) -> str:
        return obj.label if obj.parent_id is None else f"– {obj.label}"


class OfferForm(forms.ModelForm):
    # The competence areas come right after the title and description: they decide who finds
    # the offer, so they should not hide at the bottom of a long form.
    field_order = ["title", "description", "areas"]

    areas = AreaChoiceField(
        label=_("Competence areas"),
        queryset=CompetenceArea.objects.filter(is_active=True).order_by("sort_order", "code"),
        widget=AreaPicker,
        help_text=_("Tick every area the offer covers; a main area covers all its sub-areas."),
    )
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https",
                         max_length=200)

    class Meta:
        model = Offer
        fields = [f for f in EDITABLE_FIELDS if f != "external_id"] + ["external_id", "areas"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "application_deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "external_id": _("Your own id for the offer; a spreadsheet import updates the offer "
                             "with the same id."),
            "credits": _("Required for university and vocational college studies; otherwise "
                         "optional."),
            "hours": _("Required for a course or certificate; otherwise optional."),
            "municipality": _("Where the teaching happens; leave empty for online offers."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        # Hours (courses) and credits (tertiary levels) are required for some levels only:
        # the help text says which, and the label does not claim "(optional)".
        for name in ("hours", "credits"):
            self.fields[name].conditionally_required = True

    def full_clean(self):
        super().full_clean()
        link_errors(self)

    def clean(self):
        cleaned = super().clean()
        # The rules that compare fields run even when another field is wrong, so every error
        # shows in the first round; a field that already has its own error keeps just that one.
        try:
            offer_validate(data=cleaned, areas=cleaned.get("areas") or [])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.errors:
                    continue
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned

    def service_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in EDITABLE_FIELDS if f in self.cleaned_data}


class ImportUploadForm(forms.Form):
    file = SpreadsheetFileField(
        label=_("Spreadsheet (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def full_clean(self):
        super().full_clean()
        link_errors(self)

    # Nothing is ticked for the provider: publishing is a choice, never a default.
    publish = forms.BooleanField(
        label=_("Publish the imported offers right away"), required=False, initial=False,
        help_text=_("Unticked, new offers are saved as drafts for you to check first."),
    )


SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("start", _("Start date")),
    ("price", _("Price")),
    ("title", _("Title")),
]


def _area_choices():
    choices = [("", _("All areas"))]
    for area in CompetenceArea.objects.filter(is_active=True).order_by("sort_order", "code"):
        prefix = "" if area.parent_id is None else "– "
        choices.append((area.code, f"{prefix}{area.label}"))
    return choices


def _municipality_choices():
    return [("", _("Anywhere"))] + [
        (m.code, m.name) for m in Municipality.objects.order_by("-in_region", "name")
    ]


def _reference_choices(kind: str, build) -> list:
    """The filters' area and place options, built once per language and process until the
    catalogue's data changes (the page cache's version of "offers", bumped when an area or a
    place is edited too): two queries and a hundred labels less on every catalogue page."""
    return reference_memo(("catalogue-choices", kind), build, version=group_version("offers"))


class CatalogueForm(forms.Form):
    """GET filters; all optional, so every search is a shareable URL."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))
    area = forms.ChoiceField(label=_("Competence area"), required=False, widget=FastSelect)
    level = forms.ChoiceField(label=_("Level"), required=False, widget=FastSelect,
                              choices=[("", _("All levels"))] + list(Level.choices))
    format = forms.ChoiceField(label=_("Format"), required=False, widget=FastSelect,
                               choices=[("", _("All formats"))] + list(Format.choices))
    municipality = forms.ChoiceField(label=_("Municipality"), required=False,
                                     widget=FastSelect)
    distance_km = forms.IntegerField(label=_("Within (km) of the municipality"), required=False,
                                     min_value=0, max_value=1000)
    include_online = forms.BooleanField(label=_("Also show online offers"), required=False,
                                        initial=True)
    start_month = forms.RegexField(label=_("Starts in month"), required=False,
                                   regex=r"^\d{4}-(0[1-9]|1[0-2])$",
                                   widget=forms.TextInput(attrs={"type": "month",
                                                                 "placeholder": "2027-03"}))
    max_price = forms.DecimalField(label=_("Max price per participant (kr)"), required=False,
                                   min_value=0, max_digits=10, decimal_places=2)
    online_only = forms.BooleanField(label=_("Online only"), required=False)
    on_demand = forms.BooleanField(label=_("Can run on demand"), required=False)
    show_past = forms.BooleanField(label=_("Show past offers"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES,
                             widget=FastSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _reference_choices("area", _area_choices)
        self.fields["municipality"].choices = _reference_choices("place", _municipality_choices)

    def full_clean(self):
        super().full_clean()
        link_errors(self)

    def params(self) -> dict:
        """Valid fields only: one bad value (a hand-edited URL) does not void the whole search."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
