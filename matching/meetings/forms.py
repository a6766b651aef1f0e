"""Forms of the meeting pages. Validation of the domain rules lives in the services."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from needs.models import Need
from offers.models import Offer
from portal import access
from portal.models import Municipality, Organisation, User

from .models import Invitation, Meeting

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _local_datetime(label, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, help_text=help_text,
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT))


class OrganisationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        where = f", {obj.municipality.name}" if obj.municipality_id else ""
        return f"{obj.name}{where}"


class NeedChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Need) -> str:
        return f"{obj.organisation.name}: {obj} ({obj.participants})"


class MeetingForm(forms.ModelForm):
    starts_at = _local_datetime(_("Date and time (Norwegian time)"))
    slot_start = _local_datetime(_("1:1 meetings start"), required=False)
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ["title", "purpose", "starts_at", "duration_minutes", "municipality", "address",
                  "online_url", "capacity", "agenda", "is_public", "slot_start", "slot_minutes",
                  "slot_count", "tables"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}),
                   "agenda": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["municipality"].required = False
        for name in ("title", "starts_at", "municipality"):
            self.fields[name].widget.attrs.setdefault("aria-required", "true")


class MeetingCreateForm(MeetingForm):
    needs = NeedChoice(label=_("Needs the meeting is about"), required=False,
                       queryset=Need.objects.none(), widget=forms.CheckboxSelectMultiple)
    invitees = OrganisationChoice(label=_("Invite"), required=False,
                                  queryset=Organisation.objects.none(),
                                  widget=forms.CheckboxSelectMultiple)

    class Meta(MeetingForm.Meta):
        fields = [*MeetingForm.Meta.fields]

    def __init__(self, *args, needs_qs=None, invitee_qs=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs_qs if needs_qs is not None else Need.objects.none()
        self.fields["invitees"].queryset = (invitee_qs if invitee_qs is not None
                                            else Organisation.objects.none())


class NeedSearchForm(forms.Form):
    area = forms.CharField(label=_("Competence area code, e.g. skog or skog.motorsag"),
                           required=False, max_length=60)
    municipality = forms.ModelChoiceField(label=_("Municipality"), required=False,
                                          queryset=Municipality.objects.order_by("name"))


class AddInviteesForm(forms.Form):
    organisations = OrganisationChoice(label=_("Invite more"), queryset=Organisation.objects.none(),
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, meeting: Meeting, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        invited = meeting.invitations.values("organisation_id")
        # Providers serve the whole county; businesses only from the adviser's own scope.
        businesses = access.restrict_to_scope(
            Organisation.objects.filter(kind=Organisation.Kind.BUSINESS), user, "municipality")
        self.fields["organisations"].queryset = (
            Organisation.objects.filter(Q(kind=Organisation.Kind.PROVIDER)
                                        | Q(pk__in=businesses.values("pk")))
            .exclude(pk__in=invited).select_related("municipality").order_by("kind", "name"))


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(label=_("Will you come?"), widget=forms.RadioSelect,
                              choices=[(c, label) for c, label in Invitation.Reply.choices
                                       if c in Invitation.ANSWERS])
    headcount = forms.IntegerField(label=_("How many will come?"), min_value=0, max_value=50,
                                   required=False, initial=1)


class SlotRequestForm(forms.Form):
    invitee = forms.ChoiceField(label=_("Whom would you like to meet?"))
    message = forms.CharField(label=_("What you would like to talk about"),
                              required=False, max_length=300)

    def __init__(self, *args, partners=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitee"].choices = [(str(pk), name) for pk, name in partners]


class JoinRequestForm(forms.Form):
    message = forms.CharField(label=_("Message to the adviser"), required=False,
                              max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    notes = forms.CharField(label=_("What came of it"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 5}))
    attended = forms.MultipleChoiceField(label=_("Who came"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    send_summary = forms.BooleanField(label=_("E-mail a summary to everyone who came"),
                                      required=False, initial=True)

    def __init__(self, *args, invitations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(inv.pk), inv.organisation.name)
                                           for inv in invitations]


class CommitmentForm(forms.Form):
    provider = forms.ChoiceField(label=_("Provider"), required=False)
    what = forms.CharField(label=_("What the provider will run"), required=False, max_length=200)
    offer = forms.ChoiceField(label=_("An existing offer (otherwise a draft is created)"),
                              required=False)
    start_date = forms.DateField(label=_("Start date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    price_nok = forms.DecimalField(label=_("Price per participant (NOK)"), required=False,
                                   min_value=0, max_digits=10, decimal_places=2)

    def __init__(self, *args, providers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "–")] + [(str(p.pk), p.name) for p in providers]
        offers = Offer.objects.filter(provider__in=providers).exclude(
            status=Offer.Status.ARCHIVED).select_related("provider").order_by("provider__name",
                                                                               "title")
        self.fields["offer"].choices = [("", "–")] + [
            (str(o.pk), f"{o.provider.name}: {o.title}") for o in offers]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("provider") and not (cleaned.get("what") or cleaned.get("offer")):
            self.add_error("what", _("Say what the provider will run, or choose an offer."))
        if (cleaned.get("what") or cleaned.get("offer")) and not cleaned.get("provider"):
            self.add_error("provider", _("Choose the provider."))
        return cleaned


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=2, max_num=5)
