"""The assistance system's 24/7 helpline, shown on every public page and in the portal.

The number is the one the NAS publishes (its annual statistics 2025 and earlier reviews).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Helpline:
    national: str  # as dialled in Finland
    international: str  # as dialled from abroad
    tel: str  # for tel: links


HELPLINE = Helpline(national="0295 463 177", international="+358 295 463 177", tel="+358295463177")
