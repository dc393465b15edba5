"""Ages as the statistics and the rules count them (INTERCHANGE.md, "Ages")."""

from __future__ import annotations

import datetime as dt

from nas.common.dates import add_years
from nas.people.models import Person


def person_birthday_estimate(person: Person) -> dt.date | None:
    """Return the date of birth, or 1 July of the year of birth, or None."""
    if person.date_of_birth:
        return person.date_of_birth
    if person.birth_year:
        return dt.date(person.birth_year, 7, 1)
    return None


def person_is_minor_on(person: Person, day: dt.date) -> bool | None:
    """Return whether the person is under 18 on DAY; None when nothing tells."""
    birth = person_birthday_estimate(person)
    if birth is not None:
        return add_years(birth, 18) > day
    if person.age_assessment == "minor":
        return True
    if person.age_assessment == "adult":
        return False
    return None
