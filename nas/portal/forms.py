"""The portal's forms: a guided referral, invitations, and the public self-referral form.

The forms parse what was typed and put it in the shape of referral_submit's arguments; the
rules are the services' (nas.people.services.person_create, nas.referrals.external), whose
refusals `run_service` puts on these forms (a minor's consent "not needed" for a person whose
age says adult among them). Answers the referral has no field for (is it safe to contact the
person) are written into its safety text, in the system's language, for the caseworker who
reads them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from nas.common.forms import BoundedModelChoiceField, DateInput
from nas.common.models import Office
from nas.people.choices import UNKNOWN_NATIONALITY, Gender
from nas.people.nationalities import nationality_choices
from nas.portal.choices import AgeGuess, Answer, ConsentAnswer
from nas.portal.languages import spoken_language_choices
from nas.portal.spam import SpamProtectedForm
from nas.referrals.choices import Consent, Urgency
from nas.referrals.forms import LONG_TEXT

# What a person writes in the public form is shorter than a referrer's account.
SHORT_TEXT = 5_000


def _text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _phone() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Phone"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


def _email() -> forms.EmailField:
    return forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


def _answer(label: Any, help_text: Any = "", choices: Any = Answer.choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, help_text=help_text, choices=choices, widget=forms.RadioSelect
    )


def _answer_label(value: str) -> str:
    return str(Answer(value).label)


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


# What the referrer's answer records: consent is not needed only for a minor.
CONSENT = {
    ConsentAnswer.GIVEN: Consent.GIVEN,
    ConsentAnswer.MINOR: Consent.NOT_NEEDED,
    ConsentAnswer.NOT_ASKED: Consent.NOT_ASKED,
}


# --- the portal's referral ------------------------------------------------------------------


class PortalReferralForm(forms.Form):
    """A referral from a referring organisation, in the order a referrer thinks of it."""

    SECTIONS = (
        (
            gettext_lazy("Who is referred"),
            (
                "given_names",
                "family_name",
                "date_of_birth",
                "birth_year",
                "age_guess",
                "gender",
                "primary_nationality",
                "languages",
                "interpreter_needed",
            ),
        ),
        (gettext_lazy("Contact details, if it is safe to use them"), ("phone", "email")),
        (gettext_lazy("What happened"), ("account",)),
        (gettext_lazy("Urgency and safety"), ("urgency", "safe_to_contact", "safety_concerns")),
        (gettext_lazy("Consent"), ("consent",)),
        (gettext_lazy("Where to send the referral"), ("office",)),
    )

    given_names = forms.CharField(
        label=gettext_lazy("Given names"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("As far as you know them."),
    )
    family_name = forms.CharField(label=gettext_lazy("Family name"), required=False, max_length=200)
    date_of_birth = forms.DateField(
        label=gettext_lazy("Date of birth"), required=False, widget=DateInput()
    )
    birth_year = forms.IntegerField(
        label=gettext_lazy("Year of birth"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=gettext_lazy("Only when the exact date of birth is not known."),
    )
    age_guess = forms.ChoiceField(
        label=gettext_lazy("Age, when neither the date nor the year of birth is known"),
        required=False,
        choices=AgeGuess.choices,
        widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"),
        choices=Gender.choices,
        initial=Gender.UNKNOWN,
        widget=forms.RadioSelect,
    )
    primary_nationality = forms.ChoiceField(
        label=gettext_lazy("Nationality"), choices=nationality_choices, initial=UNKNOWN_NATIONALITY
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages the person speaks"),
        required=False,
        choices=spoken_language_choices,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy(
            "Choose one or more. A language not in the list: name it in the account below."
        ),
    )
    interpreter_needed = forms.BooleanField(
        label=gettext_lazy("Needs an interpreter"), required=False
    )
    phone = _phone()
    email = _email()
    account = forms.CharField(
        label=gettext_lazy("Account of what happened"),
        max_length=LONG_TEXT,
        widget=_text_area(8),
        help_text=gettext_lazy(
            "What happened to the person, where and when, as far as you know. "
            "Do not name suspects: the assistance system keeps no data on them."
        ),
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("How urgent is it?"),
        choices=[
            (Urgency.IMMEDIATE_DANGER, gettext_lazy("The person is in danger now")),
            (Urgency.URGENT, gettext_lazy("Urgent: the person needs help within days")),
            (Urgency.NORMAL, gettext_lazy("Not urgent")),
        ],
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "If the person is in danger now, also call the emergency number 112."
        ),
    )
    safe_to_contact = _answer(gettext_lazy("Is it safe to contact the person?"))
    safety_concerns = forms.CharField(
        label=gettext_lazy("Anything else about safety"),
        required=False,
        max_length=LONG_TEXT,
        widget=_text_area(3),
        help_text=gettext_lazy(
            "For example who must not learn of the referral, or when it is not safe to call."
        ),
    )
    consent = _answer(
        gettext_lazy("Does the person consent to the referral?"),
        gettext_lazy(
            "An adult is referred only with their consent. If an adult does not consent, do "
            "not send a referral: call the helpline to consult the assistance system "
            "anonymously."
        ),
        ConsentAnswer.choices,
    )
    office = BoundedModelChoiceField(
        label=gettext_lazy("Office"),
        required=False,
        queryset=Office.objects.filter(active=True),
        empty_label=gettext_lazy("Let the assistance system choose"),
    )

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """Return the form's sections, each a heading and its fields."""
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        age_fields = ("date_of_birth", "birth_year", "age_guess")
        if any(name in self.errors for name in age_fields):
            return data
        if not any(data.get(name) for name in age_fields):
            self.add_error(
                "age_guess",
                _("Give the date or the year of birth, or say what you think of the age."),
            )
        return data

    def submission(self) -> dict[str, Any]:
        """Return the arguments of referral_submit the form gives (not the channel or sender)."""
        data = self.cleaned_data
        person = {
            name: data[name]
            for name in (
                "given_names",
                "family_name",
                "date_of_birth",
                "birth_year",
                "gender",
                "primary_nationality",
                "languages",
                "interpreter_needed",
                "phone",
                "email",
            )
        }
        person["age_assessment"] = _age_assessment(data)
        person["nationalities"] = [data["primary_nationality"]]
        with override(settings.LANGUAGE_CODE):
            safety = _lines(
                _("Safe to contact the person: %(answer)s.")
                % {"answer": _answer_label(data["safe_to_contact"])},
                data["safety_concerns"],
            )
        return {
            "person": person,
            "office": data["office"],
            "account": data["account"],
            "urgency": data["urgency"],
            "safety_concerns": safety,
            # referral_submit refuses "not needed" for a person whose age says adult.
            "consent": CONSENT[data["consent"]],
        }


def _age_assessment(data: dict[str, Any]) -> str:
    """The person's age assessment: recorded only when neither date nor year is known."""
    if data["date_of_birth"] or data["birth_year"]:
        return ""
    return str(data["age_guess"] or "")


# --- members and invitations ----------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address of your colleague"),
        max_length=254,
        help_text=gettext_lazy("The invitation link is sent there. It works once, for 7 days."),
    )


class ConfirmForm(forms.Form):
    """A confirmation without fields: it carries the service's refusal, if any."""


class AcceptForm(forms.Form):
    """Choose a username and a password to accept an invitation."""

    first_name = forms.CharField(label=gettext_lazy("Given name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Family name"), max_length=150)
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        help_text=gettext_lazy("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 12 characters, not a common password."),
    )
    password_again = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data

    def account(self) -> dict[str, str]:
        """Return the arguments of invitation_accept the form gives (not the token)."""
        return {
            name: self.cleaned_data[name]
            for name in ("username", "password", "first_name", "last_name")
        }


# --- the public self-referral form ----------------------------------------------------------


class SelfReferralForm(SpamProtectedForm):
    """The least a person needs to tell to ask for help; everything else comes later."""

    name = forms.CharField(
        label=gettext_lazy("Your name, or what we may call you"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = _phone()
    email = _email()
    language = forms.ChoiceField(
        label=gettext_lazy("Which language would you like us to use?"),
        choices=spoken_language_choices,
    )
    account = forms.CharField(
        label=gettext_lazy("What happened? Tell us briefly."),
        max_length=SHORT_TEXT,
        widget=_text_area(6),
        help_text=gettext_lazy("A few sentences are enough. We will ask more when we talk."),
    )
    safe_to_contact = _answer(
        gettext_lazy("Is it safe for us to contact you by the phone or e-mail you gave?"),
        gettext_lazy("If it is not, call the helpline when it is safe for you."),
    )
    in_danger = _answer(
        gettext_lazy("Are you in danger now?"),
        gettext_lazy("If you are in danger now, call the emergency number 112."),
        [(Answer.YES, Answer.YES.label), (Answer.NO, Answer.NO.label)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = gettext_lazy("Optional. Only a number that is safe.")
        self.fields["email"].help_text = gettext_lazy("Optional. Only an address that is safe.")
        self.fields["language"].initial = get_language()

    def submission(self) -> dict[str, Any]:
        """Return the arguments of referral_submit the form gives (not the channel or sender)."""
        data = self.cleaned_data
        with override(settings.LANGUAGE_CODE):
            safety = _lines(
                _("Safe to contact the person: %(answer)s.")
                % {"answer": _answer_label(data["safe_to_contact"])},
                _("In danger now: %(answer)s.") % {"answer": _answer_label(data["in_danger"])},
            )
        return {
            "person": {
                "given_names": data["name"],
                "phone": data["phone"],
                "email": data["email"],
                "languages": [data["language"]],
                "nationalities": [UNKNOWN_NATIONALITY],
                "primary_nationality": UNKNOWN_NATIONALITY,
            },
            "account": data["account"],
            "urgency": Urgency.IMMEDIATE_DANGER
            if data["in_danger"] == Answer.YES
            else Urgency.NORMAL,
            "safety_concerns": safety,
            # The person asks for help themself: sending the form is their consent.
            "consent": Consent.GIVEN,
        }
