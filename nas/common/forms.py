"""Form fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# Integer keys are 64-bit: a larger number cannot name a row, and SQLite raises on it.
MAX_KEY = 2**63 - 1


def is_key(value: Any) -> bool:
    """Return whether VALUE, if it is a whole number, fits an integer key."""
    text = str(value).strip()
    return not text.isdigit() or int(text) <= MAX_KEY


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an out-of-range key as an invalid choice."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not is_key(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses out-of-range keys as invalid choices."""

    def _check_values(self, value: Any) -> Any:
        for item in value or ():
            if not is_key(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)  # type: ignore[misc]


class DateInput(forms.DateInput):
    """The browser's date picker: it sends and shows ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
