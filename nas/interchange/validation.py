"""Read the JSON of a dossier field by field, naming the field of every problem."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DossierError(Exception):
    """A line breaks the dossier format; the message starts with the path of the field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def parse_date(value: str) -> dt.date:
    """Return the date of an ISO string already checked by `Node.date`."""
    return dt.date.fromisoformat(value)


class Node:
    """A JSON object of a dossier, read field by field with the path of each field."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise DossierError(path, _("expected a JSON object"))
        self.data: dict[str, Any] = data
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def only(self, keys: Collection[str]) -> None:
        """Refuse a field the format does not have (a misspelt field would be lost)."""
        for key in self.data:
            if key not in keys:
                raise DossierError(self.at(key), _("unknown field"))

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if required and (value is None or value == ""):
            raise DossierError(self.at(key), _("missing required field"))
        return value

    def text(self, key: str, *, required: bool = False, max_length: int = 200) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise DossierError(self.at(key), _("expected text"))
        if len(value) > max_length:
            raise DossierError(
                self.at(key), _("longer than %(max)d characters") % {"max": max_length}
            )
        return value

    def date(self, key: str, *, required: bool = False) -> str | None:
        """Return an ISO date YYYY-MM-DD that exists in the calendar."""
        value = self.text(key, required=required)
        if value is None:
            return None
        if not _ISO_DATE.match(value):
            raise DossierError(
                self.at(key), _("not a date in the form YYYY-MM-DD: %(value)s") % {"value": value}
            )
        try:
            parse_date(value)
        except ValueError:
            raise DossierError(
                self.at(key), _("no such date: %(value)s") % {"value": value}
            ) from None
        return value

    def code(self, key: str, codes: Collection[str], *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is not None and value not in codes:
            raise DossierError(self.at(key), _("unknown code: %(code)s") % {"code": value})
        return value

    def boolean(self, key: str, *, required: bool = False) -> bool | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, bool):
            raise DossierError(self.at(key), _("expected true, false or null"))
        return value

    def integer(self, key: str) -> int | None:
        value = self._get(key, False)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise DossierError(self.at(key), _("expected a whole number"))
        return value

    def texts(self, key: str) -> list[str]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DossierError(self.at(key), _("expected a list of texts"))
        return list(value)

    def codes(self, key: str, codes: Collection[str]) -> list[str]:
        values = self.texts(key)
        for value in values:
            if value not in codes:
                raise DossierError(self.at(key), _("unknown code: %(code)s") % {"code": value})
        return values

    def node(self, key: str, *, required: bool = False) -> Node | None:
        value = self._get(key, required)
        return None if value is None else Node(value, self.at(key))

    def nodes(self, key: str) -> list[Node]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise DossierError(self.at(key), _("expected a list"))
        return [Node(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]
