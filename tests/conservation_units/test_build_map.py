"""build_map takes Natural Earth's boundaries from the npm package it pins, checked against the
registry's integrity, and needs the network only once."""

import io
import json
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from conservation_units.management.commands import build_map


def no_network(*args, **kwargs):
    raise OSError("no network in this test")


def test_a_rebuild_uses_the_kept_package_without_the_network(monkeypatch, tmp_path, map_shapes):
    kept = build_map.FOLDER / f"{build_map.PACKAGE}-{build_map.VERSION}.tgz"
    assert build_map.integrity_of(kept.read_bytes()) == build_map.INTEGRITY
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    output = tmp_path / "shapes.json"
    call_command("build_map", output=output, tarball=kept, stdout=io.StringIO())
    assert json.loads(output.read_text()) == json.loads(map_shapes.read_text())


def test_a_package_that_does_not_match_the_integrity_is_refused(monkeypatch, tmp_path):
    class Tampered(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: Tampered(b"not the package"))
    tarball, output = tmp_path / "world-atlas.tgz", tmp_path / "shapes.json"
    tarball.write_bytes(b"a damaged copy")
    with pytest.raises(CommandError, match="does not match the integrity"):
        call_command("build_map", output=output, tarball=tarball, stdout=io.StringIO())
    assert not output.exists()
    assert tarball.read_bytes() == b"a damaged copy"  # nothing replaced by the bad download


def test_without_the_package_or_the_network_it_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    with pytest.raises(CommandError, match="put the file at"):
        call_command("build_map", output=tmp_path / "shapes.json",
                     tarball=tmp_path / "missing.tgz", stdout=io.StringIO())  # fmt: skip
