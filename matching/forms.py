"""Forms for the matching pages: filters, adviser actions, business answers, settings."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from portal.filter_forms import prefilled_fields_html
from portal.models import CompetenceArea, Municipality, Organisation
from portal.widgets import FastSelect, FastTextarea

from .models import Cohort, CohortRequest, Match, MatchingSettings
from .services import DECLINE_REASONS

WEIGHT_FIELDS = [
    "weight_topic", "weight_level", "weight_format", "weight_geography", "weight_timing",
    "weight_cost", "weight_capacity",
]


def _area_choices() -> list[tuple[str, str]]:
    # Tuples in the reader's language (as `CompetenceArea.label`), not a hundred instances.
    language = (get_language() or "nb")[:2]
    label = f"label_{language}" if language in ("nb", "nn", "en") else "label_nb"
    rows = CompetenceArea.objects.filter(is_active=True).order_by("sort_order", "code")
    return [("", gettext("All areas"))] + [
        (code, (text or fallback) if parent_id is None else f"– {text or fallback}")
        for code, parent_id, text, fallback in rows.values_list(
            "code", "parent_id", label, "label_nb")
    ]


def _municipality_choices() -> list[tuple[str, str]]:
    return [("", gettext("All municipalities"))] + [
        (code, f"{name} ({code})")
        for code, name in Municipality.objects.order_by("name").values_list("code", "name")
    ]


class MatchFilterForm(forms.Form):
    # FastSelect: a hundred areas, written in Python instead of one template per option.
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    area = forms.ChoiceField(label=_("Competence area"), required=False, widget=FastSelect)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False, widget=FastSelect)
    min_score = forms.FloatField(label=_("Minimum score"), required=False, min_value=0,
                                 max_value=100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", gettext("All statuses")), *Match.Status.choices]
        self.fields["area"].choices = _area_choices()
        self.fields["municipality"].choices = _municipality_choices()


class MatchActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in
                 ("approve", "propose", "enroll", "dismiss", "reopen", "accept", "decline")]
    )
    note = forms.CharField(label=_("Comment for the history"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.ChoiceField(label=_("Reason given by the business"), required=False,
                               choices=[("", "–"), *DECLINE_REASONS])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "decline" and not cleaned.get("reason"):
            self.add_error("reason", gettext("Choose a reason."))
        return cleaned


class MatchNoteForm(forms.ModelForm):
    class Meta:
        model = Match
        fields = ["adviser_note"]
        widgets = {"adviser_note": forms.Textarea(attrs={"rows": 4})}


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why do you decline?"), choices=DECLINE_REASONS,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Anything else you want to tell the adviser"),
                           required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class CohortFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FastSelect)
    area = forms.ChoiceField(label=_("Competence area"), required=False, widget=FastSelect)
    opportunities = forms.BooleanField(label=_("Only opportunities"), required=False)
    retired = forms.BooleanField(label=_("Include cohorts that no longer exist"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", gettext("All statuses")), *Cohort.Status.choices]
        self.fields["area"].choices = _area_choices()


class CohortStatusForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["status", "adviser_note"]
        labels = {"status": _("Status"), "adviser_note": _("Adviser note")}
        widgets = {"status": FastSelect, "adviser_note": FastTextarea(attrs={"rows": 3})}


class CohortSendForm(forms.Form):
    providers = forms.ModelMultipleChoiceField(
        label=_("Providers"), queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(label=_("Message to the providers"), required=False,
                              max_length=3000, widget=FastTextarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by("name")
        self.fields["providers"].queryset = providers
        # The name is all a checkbox shows: (id, name) pairs, not sixty whole organisations.
        self.fields["providers"].widget.choices = list(providers.values_list("pk", "name"))


SEND_FIELDS = ("providers", "message")
# (language, ticked providers, version of the catalogue's data) -> the send form's fields.
_send_fields_memo: dict[tuple, dict[str, SafeString]] = {}
_SEND_MEMO_MAX = 500


def cohort_send_fields_html(form: CohortSendForm | None, *, ticked: tuple[int, ...],
                            version: float) -> dict[str, SafeString]:
    """The send form's fields as `_field.html` writes them. A bound form (with its errors) is
    written as it is; the fresh one, sixty providers' checkboxes with those that have a
    fitting offer ticked (`ticked`) and an empty message, only once per process, language and
    ticked set until an organisation changes (`version`: the page cache's "offers" version,
    bumped whenever an organisation is saved or deleted)."""
    if form is not None:
        return prefilled_fields_html(form, *SEND_FIELDS)
    key = (get_language(), ticked, version)
    fields = _send_fields_memo.get(key)
    if fields is None:
        fresh = CohortSendForm(initial={"providers": list(ticked)})
        fields = {name: render_to_string("_field.html", {"field": fresh[name]})
                  for name in SEND_FIELDS}
        if len(_send_fields_memo) >= _SEND_MEMO_MAX:
            _send_fields_memo.clear()
        _send_fields_memo[key] = fields
    return fields


class CohortResponseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"), widget=forms.RadioSelect,
        choices=[(CohortRequest.Status.INTERESTED, _("We are interested")),
                 (CohortRequest.Status.DECLINED, _("Not for us"))],
    )
    response = forms.CharField(label=_("Message to the adviser"), required=False,
                               max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))


class MatchingSettingsForm(forms.ModelForm):
    """Weights must form a combination the engine can use (matching.learning.weights_problems:
    they add up to 1 and topic carries at least half); each problem is shown next to its field.
    The gap threshold is not here: gaps are the weak band (engine/bands.py)."""

    class Meta:
        model = MatchingSettings
        fields = [*WEIGHT_FIELDS, "min_score", "top_k", "cohort_threshold"]
        help_texts = {"weight_topic": _("At least 0.50. All weights together add up to 1.00.")}

    def clean(self):
        from .learning import weights_problems

        cleaned = super().clean()
        for name, message in weights_problems(
                {name: cleaned.get(name) for name in WEIGHT_FIELDS}).items():
            self.add_error(None if name == "__all__" else name, message)
        value = cleaned.get("min_score")
        if value is not None and not 0 <= value <= 100:
            self.add_error("min_score", gettext("Enter a score between 0 and 100."))
        top_k = cleaned.get("top_k")
        if top_k is not None and not 1 <= top_k <= 100:
            self.add_error("top_k", gettext("Keep between 1 and 100 matches per need."))
        threshold = cleaned.get("cohort_threshold")
        if threshold is not None and not 2 <= threshold <= 1000:
            self.add_error("cohort_threshold", gettext("Enter a number between 2 and 1000."))
        return cleaned


class MatchBulkForm(forms.Form):
    """Several matches ticked in the queue, and what to do with all of them."""

    action = forms.ChoiceField(label=_("With the selected matches"), choices=[
        ("approve", _("Approve")), ("dismiss", _("Dismiss"))], widget=FastSelect)
    note = forms.CharField(label=_("Reason or comment, written to each match's history"),
                           required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        ids = [value for value in self.data.getlist("match") if str(value).isdigit()]
        if not ids:
            raise forms.ValidationError(gettext("Select at least one match."))
        cleaned["match_ids"] = [int(value) for value in ids][:500]
        if cleaned.get("action") == "dismiss" and not (cleaned.get("note") or "").strip():
            self.add_error("note", gettext("Give a reason for dismissing."))
        return cleaned
