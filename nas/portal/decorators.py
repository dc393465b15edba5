"""Who may open the portal's pages: referrers of an active organisation, and its administrators.

The referrer role holds no model permission (it reads nothing of the casework), so the
portal checks the role and the organisation instead, after the two-factor sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from nas.accounts.decorators import View, verified_login_required
from nas.portal.selectors import is_organisation_admin, is_portal_user


def _letting_through(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """Return a decorator letting through a verified user for whom CHECK holds; others 403."""

    def decorator(view: View) -> View:
        @verified_login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


referrer_required = _letting_through(is_portal_user)
organisation_admin_required = _letting_through(is_organisation_admin)
