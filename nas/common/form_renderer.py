"""The form renderer: Django's widget templates rendered by Jinja2, others by Django's engine.

Rendering a form's widgets through the Django template engine costs about a millisecond a
select option list of the nationalities; Jinja2 renders Django's own Jinja2 copies of the
same widget templates (the same HTML) about twice as fast (docs/benchmarks.md). Templates
that exist only for the Django engine (the admin's and django.contrib.auth's widgets) are
rendered by it.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastFormRenderer(BaseRenderer):
    """Jinja2 for the widget templates it has, the Django engine for the rest."""

    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()
        self.django_only: set[str] = set()

    def get_template(self, template_name: str) -> Any:
        if template_name not in self.django_only:
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                self.django_only.add(template_name)
        return self.django.get_template(template_name)
