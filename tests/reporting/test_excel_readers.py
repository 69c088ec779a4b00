"""Every workbook the portal hands out opens in LibreOffice and in pandas, not only openpyxl."""

import csv
import io
import os
import shutil
import subprocess

import pandas
import pytest
from django.test import Client
from django.urls import reverse

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import EntryStatus
from reporting.models import ReportEntry
from tests.reporting.excel import new_revision, rich_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbooks(report, people) -> dict[str, bytes]:
    report.entries.filter(activity__section__number="1").update(status=EntryStatus.COMPLETED)
    # A second state's report on a redesigned form: every kind of question, sheet and list.
    new_revision(report.cycle, rich_form())
    services.open_report(cycle=report.cycle, range_state=RangeState.objects.get(iso3="UZB"),
                         actor=people["secretariat"])  # fmt: skip
    client = Client()
    client.force_login(people["secretariat"])
    urls = {
        "programme": "/activities/download.xlsx",
        "template": reverse("report-template", args=[report.cycle.slug, "KAZ"]),
        "rich template": reverse("report-template", args=[report.cycle.slug, "UZB"]),
        "review": reverse("review-workbook", args=[report.cycle.slug]),
        "dashboard": f"/dashboard/section.xlsx?cycle={report.cycle.slug}",
    }
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        found[name] = response.getvalue()
    return found


def soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must test with LibreOffice (apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    return path


def test_libreoffice_converts_every_workbook(workbooks, tmp_path):
    for name, content in workbooks.items():
        (tmp_path / f"{name}.xlsx").write_bytes(content)
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "csv", "--outdir", str(tmp_path / "csv"),
         *(str(tmp_path / f"{name}.xlsx") for name in workbooks)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first_cells = {}
    for name in workbooks:
        text = (tmp_path / "csv" / f"{name}.csv").read_text(encoding="utf-8", errors="replace")
        first_cells[name] = next(csv.reader(io.StringIO(text)))[0]
    assert first_cells == {
        "programme": "Ref", "template": first_cells["template"], "review": "Range State",
        "dashboard": "Section", "rich template": first_cells["rich template"],
    }  # fmt: skip
    assert first_cells["template"].startswith("CAMI national report: Kazakhstan")
    assert first_cells["rich template"].startswith("CAMI national report: Uzbekistan")


def test_pandas_reads_every_sheet(workbooks, report):
    sheets = {name: pandas.read_excel(io.BytesIO(content), sheet_name=None)
              for name, content in workbooks.items()}  # fmt: skip
    assert list(sheets["programme"]) == ["Activities", "Conservation Units", "Species",
                                         "Range States", "About"]  # fmt: skip
    assert len(sheets["programme"]["Activities"]) == 133
    report_sheet = sheets["template"]["Report"]
    assert len(report_sheet) == report.entries.count()
    assert (report_sheet["Implementation status *"] == "Completed").sum() == report.entries.filter(
        status=EntryStatus.COMPLETED).count()  # fmt: skip
    assert list(sheets["rich template"]) == ["Instructions", "Report", "Per species or unit",
                                             "Once per report", "Lists", "Metadata"]  # fmt: skip
    assert "People trained *" in sheets["rich template"]["Report"].columns
    entries = sheets["review"]["Entries"]
    assert len(entries) == ReportEntry.objects.filter(report__cycle=report.cycle).count()
    assert set(entries["ISO3"]) == {"KAZ", "UZB"}
    assert "Completed" in set(sheets["review"]["Matrix"]["KAZ"])
