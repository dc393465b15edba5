"""Take the screenshots of docs/screenshots from a throwaway demo (`make screenshots`).

Sets up a demo database in a temporary directory (migrate, demo_setup with its data), serves
it on a free port, signs in as the demo accounts with their passwords and two-factor codes,
and saves full-page PNGs of the main pages in English. Needs Chromium (/usr/bin/chromium,
or NAS_CHROMIUM). Nothing of the developer's var/ is touched.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("NAS_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def passwords(table: str) -> dict[str, str]:
    """Return username -> password from demo_setup's table of accounts."""
    found = {}
    for line in table.splitlines():
        cells = line.split()
        if len(cells) == 4 and re.fullmatch(r"[a-z_]+", cells[0]) and cells[0] != "role":
            found[cells[1]] = cells[2]
    return found


def sign_in(page: Any, base: str, env: dict[str, str], username: str, password: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.fill("#id_otp_token", manage(env, "demo_totp", username).strip())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def shoot(page: Any, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    print(f"  docs/screenshots/{name}.png")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="nas-screenshots-"))
    env = {
        **os.environ,
        "NAS_DEMO": "1",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": "",
        "NAS_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "nas.config.settings.base",
    }
    print("Setting up a demo database (a minute or two)...")
    manage(env, "migrate", "--noinput")
    accounts = passwords(manage(env, "demo_setup"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(100):
            try:
                # Our own server's http URL.
                urllib.request.urlopen(f"{base}/accounts/sign-in/", timeout=1)  # noqa: S310  # nosec B310
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--lang=en-GB"]
            )
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page = context.new_page()
            page.goto(f"{base}/accounts/sign-in/")
            shoot(page, "sign-in")
            sign_in(page, base, env, "caseworker.helsinki", accounts["caseworker.helsinki"])
            shoot(page, "dashboard")
            page.goto(f"{base}/referrals/")
            shoot(page, "referral-inbox")
            # A victim with a history: the earliest admitted of the caseworker's active clients.
            page.goto(f"{base}/")
            page.locator("main tr:has-text('Victim') a[href^='/clients/']").last.click()
            page.wait_for_load_state()
            shoot(page, "client-file")
            context.close()

            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page = context.new_page()
            sign_in(page, base, env, "decisionmaker", accounts["decisionmaker"])
            page.goto(f"{base}/referrals/?status=under_assessment")
            page.locator("main table a[href^='/referrals/']").first.click()
            page.wait_for_load_state()
            page.get_by_role("link", name="Record the decision").click()
            page.wait_for_load_state()
            shoot(page, "decision-form")
            page.check("#id_outcome input[value=negative]")
            page.locator("main form[method=post] button.button").last.click()
            page.wait_for_load_state()
            shoot(page, "decision-form-errors")
            context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
