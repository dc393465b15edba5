"""The Finnish personal identity code (henkilötunnus): format and check character."""

from __future__ import annotations

import re

_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_PATTERN = re.compile(r"^(\d{6})([-+ABCDEFUVWXY])(\d{3})([0-9A-Y])$")


def is_valid_personal_identity_code(code: str) -> bool:
    """Return whether CODE has a valid format and check character."""
    match = _PATTERN.match(code.upper())
    if not match:
        return False
    number = int(match.group(1) + match.group(3))
    return _CHECK_CHARACTERS[number % 31] == match.group(4)
