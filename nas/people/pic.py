"""The Finnish personal identity code (henkilötunnus): format and check character."""

from __future__ import annotations

import datetime as dt
import re

_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_PATTERN = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+ABCDEFUVWXY])(\d{3})([0-9A-Y])$")
_CENTURY = {"+": 1800, "-": 1900, "U": 1900, "V": 1900, "W": 1900, "X": 1900, "Y": 1900}
_CENTURY.update(dict.fromkeys("ABCDEF", 2000))


def is_valid_personal_identity_code(code: str) -> bool:
    """Return whether CODE has a valid format and check character."""
    match = _PATTERN.match(code.upper())
    if not match:
        return False
    day, month, year, separator, individual, check = match.groups()
    try:
        dt.date(_CENTURY[separator] + int(year), int(month), int(day))
    except ValueError:
        return False
    if int(individual) < 2:
        return False
    number = int(day + month + year + individual)
    return _CHECK_CHARACTERS[number % 31] == check
