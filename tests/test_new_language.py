"""A language is added to the portal by a settings line, a catalogue and a translations fixture:
no code. French, the Convention's other working language, proves it in a throwaway settings
module, with the portal's own commands and pages run in a process of their own."""

import json
import os
import subprocess
import sys

import polib
import pytest
from django.conf import settings

from cami.content import UNOFFICIAL_TRANSLATION

pytestmark = pytest.mark.whole_portal

SETTINGS = """
from cami.settings import *  # noqa: F403

LANGUAGES = [*LANGUAGES, ("fr", "Français")]  # noqa: F405
LOCALE_PATHS = [{locale!r}, *LOCALE_PATHS]  # noqa: F405
WORK_PROGRAMME_TRANSLATIONS = {translations!r}
"""

CATALOGUE = {  # a few of the portal's own words, as a translator would give them
    "Activities": "Activités",
    "First triennial report, 2026–2028": "Premier rapport triennal, 2026–2028",
}

CONTENT = {  # the programme's words, as the team would translate them
    "sections": {"legislation": {"title": "Législation"}},
    "conservation_units": {"western-tian-shan": {"name": "Tian Shan occidental"}},
    "species": {"argali": {"common_name": "Mouflon d'Asie"}},
    "scoring_criteria": {"2": {"scale": "0 = aucune ; 1 = faible ; 2 = moyenne ; 3 = forte"}},
    "activities": {"16.1": {"text": "Évaluer l'état des populations d'hémiones.",
                            "indicators": ["Évaluation publiée."]}},
}  # fmt: skip

PAGES = """
import json
from django.test import Client

client = Client(headers={"accept-language": "fr"})
pages = {url: client.get(url).content.decode() for url in
         ["/activities/", "/activities/16.1/", "/conservation-units/", "/sections/legislation/",
          "/species/argali/", "/dashboard/"]}
english = Client().get("/activities/16.1/").content.decode()
russian = Client(headers={"accept-language": "ru"}).get("/activities/16.1/").content.decode()
print(json.dumps({"pages": pages, "english": english, "russian": russian}))
"""


def catalogue(folder):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr",
                   "Plural-Forms": "nplurals=2; plural=(n > 1);"}  # fmt: skip
    for msgid, msgstr in CATALOGUE.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    po.append(polib.POEntry(msgid=UNOFFICIAL_TRANSLATION, msgstr="Traduction non officielle."))
    messages = folder / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po.save(str(messages / "django.po"))
    po.save_as_mofile(str(messages / "django.mo"))


def run(env, *args):
    done = subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_french_is_a_settings_line_a_catalogue_and_a_fixture(tmp_path):
    catalogue(tmp_path / "locale")
    translations = tmp_path / "translations"
    translations.mkdir()
    (translations / "fr.json").write_text(json.dumps(CONTENT), encoding="utf-8")
    ru = settings.WORK_PROGRAMME_TRANSLATIONS / "ru.json"
    (translations / "ru.json").write_text(ru.read_text("utf-8"), encoding="utf-8")
    (tmp_path / "settings_fr.py").write_text(SETTINGS.format(
        locale=str(tmp_path / "locale"), translations=str(translations)
    ))  # fmt: skip
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings_fr",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fr.sqlite3'}",
    }
    for command in ["migrate", "load_work_programme", "seed_reporting_cycles"]:
        run(env, "manage.py", command, "-v", "0")
    seen = json.loads(run(env, "-c", "import django; django.setup()\n" + PAGES))
    pages = seen["pages"]

    assert '<html lang="fr"' in pages["/activities/"]
    assert "Activités" in pages["/activities/"]  # the catalogue
    assert "Législation" in pages["/sections/legislation/"]  # the fixture
    assert "Tian Shan occidental" in pages["/conservation-units/"]
    assert "0 = aucune ; 1 = faible" in pages["/conservation-units/"]
    assert "Mouflon d&#x27;Asie" in pages["/species/argali/"]
    assert "Évaluer l&#x27;état des populations d&#x27;hémiones." in pages["/activities/16.1/"]
    assert "Évaluation publiée." in pages["/activities/16.1/"]
    assert "Traduction non officielle." in pages["/activities/16.1/"]
    assert "Premier rapport triennal, 2026–2028" in pages["/dashboard/"]  # seeded from it
    # What French leaves untranslated is shown in English, as printed; the others keep theirs.
    assert "Southwestern Ustyurt" in pages["/conservation-units/"]
    assert "Evaluer" not in seen["english"] and "Évaluer" not in seen["english"]
    assert "Évaluer" not in seen["russian"] and "Продолжить мониторинг" in seen["russian"]
