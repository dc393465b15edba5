"""Every user-visible string of the code and templates is translated into Finnish and Swedish.

The strings are extracted afresh (makemessages, on a copy of the source tree so that the
committed catalogues are not touched) and compared with the committed catalogues by GNU
gettext's msgcmp: a string that is missing from a catalogue, untranslated there, or still
marked fuzzy fails the test and is named in its output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ("fi", "sv")
TOOLS = ("xgettext", "msgcmp", "msgfmt")


def _gettext_available() -> bool:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"GNU gettext is missing ({', '.join(missing)}): CI must install gettext")
    return not missing


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Extract the strings of a copy of the source tree; return the copy's locale directory."""
    if not _gettext_available():
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("source")
    shutil.copytree(
        ROOT / "nas",
        copy / "nas",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "migrations"),
    )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nas.config.settings.test",
        "NAS_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "PYTHONPATH": str(copy),
    }
    languages = [arg for code in LANGUAGES for arg in ("--locale", code)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *languages, "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy / "nas" / "locale"


def _missing_msgids(report: str, fresh: Path) -> list[str]:
    """Return the msgid of each entry of FRESH that msgcmp's REPORT says is not translated."""
    lines = fresh.read_text(encoding="utf-8").splitlines()
    missing = []
    for line in report.splitlines():
        if line.startswith(str(fresh)) and "this message is used but not defined" in line:
            index = int(line[len(str(fresh)) + 1 :].split(":", 1)[0]) - 1
            while index > 0 and not lines[index].startswith("msgid "):
                index -= 1
            text = lines[index].removeprefix("msgid ")
            missing.append(text if text != '""' else lines[index + 1])
    return missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(fresh_catalogues: Path, language: str) -> None:
    committed = ROOT / "nas" / "locale" / language / "LC_MESSAGES" / "django.po"
    fresh = fresh_catalogues / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgcmp", str(committed), str(fresh)], capture_output=True, text=True, check=False
    )
    missing = _missing_msgids(result.stderr, fresh)
    assert result.returncode == 0, (
        f"{len(missing)} strings not translated into {language} (run `make messages-extract`, "
        f"translate, see nas/locale/README.md):\n" + "\n".join(missing[:200])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_valid_and_has_no_fuzzy_entries(language: str) -> None:
    if not _gettext_available():
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    catalogue = ROOT / "nas" / "locale" / language / "LC_MESSAGES" / "django.po"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, str(catalogue)],
        check=True,
        capture_output=True,
    )
    assert "#, fuzzy\nmsgid" not in catalogue.read_text(encoding="utf-8").split("\n\n", 1)[1]
