"""The load test of bench/run.py: simulated caseworkers against the app served by gunicorn.

    NAS_LOAD_PLAN=.bench/load-plan.json locust -f bench/locustfile.py --headless \\
        -u 20 -r 20 -t 60s --host http://127.0.0.1:PORT

The plan (bench/measure.py load-setup) holds one signed-in session (password and TOTP
verified, created server-side) per user, and the pages to request. Each user takes the next
session and, without waiting, cycles: the dashboard, the referral inbox, a client search by
family name, a client file, the intake form (GET, for its CSRF token) and saving it (POST: a
new person and referral). Requests go to gunicorn directly over plain http (no TLS proxy in
front; the settings are the base ones with DEBUG off, see docs/benchmarks.md). Every answer
other than the expected status (200, 302 for the saved form) counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from typing import Any

from locust import FastHttpUser, task
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(open(os.environ["NAS_LOAD_PLAN"], encoding="utf-8").read())
SESSIONS = itertools.count()
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"^([^=;]+)=([^;]*)")


class Caseworker(FastHttpUser):
    def on_start(self) -> None:
        number = next(SESSIONS)
        if number >= len(PLAN["sessions"]):
            raise StopUser()
        self.cookies = {PLAN["session_cookie"]: PLAN["sessions"][number]}
        self.round = number * 7  # users start at different clients and names

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _keep_cookies(self, response: Any) -> None:
        # The session (re-sent on every answer: idle timeout) and the CSRF cookie, by hand.
        for name, value in response.headers.items():
            if name.lower() == "set-cookie":
                match = COOKIE.match(value)
                if match:
                    self.cookies[match[1].strip()] = match[2]

    def _get(self, url: str, name: str) -> Any:
        with self.client.get(
            url, headers=self._headers(), name=name, catch_response=True, allow_redirects=False
        ) as response:
            self._keep_cookies(response)
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response

    @task
    def caseworker_round(self) -> None:
        i = self.round
        self.round += 1
        self._get(PLAN["dashboard"], "dashboard")
        self._get(PLAN["inbox"], "referral inbox")
        self._get(PLAN["search"][i % len(PLAN["search"])], "client search by name")
        self._get(PLAN["client_file"][i % len(PLAN["client_file"])], "client file")
        form = self._get(PLAN["new_referral"], "intake form (GET)")
        match = CSRF_INPUT.search(form.text or "")
        data = {**PLAN["intake_form"], "family_name": f"Load{i}"}
        if match:
            data["csrfmiddlewaretoken"] = match[1]
        with self.client.post(
            PLAN["new_referral"],
            data=data,
            headers=self._headers(),
            name="saving a referral (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            self._keep_cookies(response)
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")
