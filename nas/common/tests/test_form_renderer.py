"""The form renderer (Jinja2 for Django's widget templates) gives the HTML Django's gives."""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

import nas
from nas.common.form_renderer import FastFormRenderer

pytestmark = pytest.mark.django_db


def _normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", html).replace("> <", "><").strip()
    # A hidden input may carry a signed time stamp (the anti-spam form's start): not HTML.
    html = re.sub(r'(<input type="hidden" name="[^"]*") value="[^"]*"', r"\1", html)
    return html.replace("&#x27;", "&#39;")  # the same apostrophe, escaped two ways


def _project_forms() -> list[type[forms.Form]]:
    for module in pkgutil.walk_packages(nas.__path__, "nas."):
        leaf = module.name.rsplit(".", 1)[-1]
        if leaf == "forms" or leaf.startswith("views"):
            importlib.import_module(module.name)
    found: list[type[forms.Form]] = []
    pending: list[type[Any]] = [forms.Form, forms.ModelForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("nas."):
                found.append(sub)
    return found


def _render(form: forms.BaseForm) -> str:
    return "".join(str(bound) + str(bound.errors) for bound in form) + str(form.non_field_errors())


def test_every_form_of_the_project_renders_the_same_html_with_both_renderers():
    compared = []
    for form_class in _project_forms():
        data: dict[str, str] | None
        for data in (None, {}):  # unbound, and bound with nothing (errors shown)
            try:
                fast = form_class(data=data, renderer=FastFormRenderer())
                django = form_class(data=data, renderer=DjangoTemplates())
            except TypeError:
                break  # the form needs arguments (a user, a client): covered by its pages
            if data is not None:
                fast.is_valid()
                django.is_valid()
            assert _normalised(_render(fast)) == _normalised(_render(django)), form_class
            compared.append(form_class)
    assert len(set(compared)) >= 15, sorted(f.__name__ for f in set(compared))


def test_a_template_jinja2_does_not_have_is_rendered_by_django():
    renderer = FastFormRenderer()
    html = renderer.render("auth/widgets/read_only_password_hash.html", {"summary": []})
    assert "<div" in html
    assert "auth/widgets/read_only_password_hash.html" in renderer.django_only
