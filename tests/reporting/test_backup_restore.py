"""The backup and restore in docs/deploy.md, run for real: a restored copy holds the same data."""

import shutil
import subprocess
import tarfile

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection

from reporting import services
from reporting.models import Evidence

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
TABLES = ["activities_activity", "reporting_nationalreport", "reporting_reportentry",
          "reporting_historicalreportentry", "reporting_evidence", "auth_user"]  # fmt: skip


def _counts(dbname: str, conninfo: dict) -> dict:
    with psycopg.connect(dbname=dbname, **conninfo) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


def test_pg_dump_and_media_archive_restore_to_the_same_data(
    cycle, kazakhstan, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = services.open_report(cycle=cycle, range_state=kazakhstan,
                                  actor=people["national_focal_point"])  # fmt: skip
    entry = report.entries.first()
    services.save_entry(entry=entry, actor=people["contributor"], expected_revision=0,
                        data={"status": "completed", "narrative": "Backed up."})  # fmt: skip
    evidence = Evidence(entry=entry, uploaded_by=people["contributor"], original_name="a.pdf")
    evidence.file.save("a.pdf", ContentFile(b"%PDF-1.7 backup test"), save=True)

    db = connection.settings_dict
    conninfo = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432,
                "user": db["USER"] or "postgres"}  # fmt: skip
    cli = ["-h", str(conninfo["host"]), "-p", str(conninfo["port"]), "-U", conninfo["user"]]
    dump = tmp_path / "cami.dump"
    # As in docs/deploy.md: pg_dump --format=custom, then pg_restore into an empty database.
    subprocess.run(
        ["pg_dump", *cli, "--format=custom", "--file", str(dump), db["NAME"]], check=True
    )
    copy = f"{db['NAME']}_restore_check"
    subprocess.run(["dropdb", *cli, "--if-exists", copy], check=True)
    subprocess.run(["createdb", *cli, copy], check=True)
    try:
        subprocess.run(["pg_restore", *cli, "--no-owner", "--dbname", copy, str(dump)], check=True)
        assert _counts(copy, conninfo) == _counts(db["NAME"], conninfo)
        with psycopg.connect(dbname=copy, **conninfo) as restored:
            narrative = restored.execute(
                "SELECT answers->>'narrative' FROM reporting_reportentry WHERE id = %s", [entry.pk]
            ).fetchone()[0]
        assert narrative == "Backed up."
    finally:
        subprocess.run(["dropdb", *cli, "--if-exists", copy], check=True)

    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:  # tar -czf media.tar.gz -C MEDIA_ROOT .
        tar.add(settings.MEDIA_ROOT, arcname=".")
    shutil.rmtree(settings.MEDIA_ROOT)
    with tarfile.open(archive) as tar:
        tar.extractall(settings.MEDIA_ROOT, filter="data")
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == b"%PDF-1.7 backup test"
