"""An archive's sizes are checked from the zip's directory before anything is unpacked, and
members are hashed in chunks: memory stays flat whatever the archive claims."""

import hashlib
import io
import json
import os
import tracemalloc
import zipfile

import pytest

from pitebra.models import Agreement
from pitebra.transfer.archive import export_agreement
from pitebra.transfer.restore import ArchiveError, import_agreement

MB = 2**20


@pytest.fixture
def honest(agreement, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return export_agreement(agreement)


def _with_member(honest, path, name, write, *, listed=True, sha=None):
    """The honest archive plus one member written by `write(handle)` in chunks, listed in the
    manifest with `sha` (the attacker may compute the right one; it changes nothing here)."""
    with zipfile.ZipFile(io.BytesIO(honest)) as source:
        members = {n: source.read(n) for n in source.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    if listed:
        manifest["sha256"][name] = sha or "0" * 64
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for n, data in members.items():
            zf.writestr(n, data)
        if write is not None:
            with zf.open(name, "w") as handle:
                write(handle)
    return path


def _zeros(megabytes):
    def write(handle):
        chunk = bytes(MB)
        for _ in range(megabytes):
            handle.write(chunk)

    return write


def _refused_with_flat_memory(path, match):
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveError, match=match):
            import_agreement(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB, f"{peak / MB:.1f} MB allocated while refusing"
    assert Agreement.objects.count() == 1  # the exported one only


def _claim(path, name, size):
    """Forge the unpacked size the zip's central directory gives for one member."""
    data = bytearray(path.read_bytes())
    name = name.encode()
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(name.decode()).file_size == size


def test_a_400_mb_member_is_refused_from_the_directory(honest, tmp_path):
    # 400 MB of zeros would pack into about 400 KB; the directory's claim is what is checked.
    name = "files/plans.Document/1/big.pdf"
    path = _with_member(honest, tmp_path / "big.zip", name, _zeros(1))
    _claim(path, name, 400 * MB)
    assert os.path.getsize(path) < MB  # what an attacker sends
    _refused_with_flat_memory(path, r"400 MB unpacked; the limit is 200 MB per member")


def test_a_member_longer_than_its_directory_claims_is_refused_while_streaming(honest, tmp_path):
    # 40 MB of zeros whose directory says 1,000 bytes (so its ratio looks tame): reading
    # stops at the claimed size and the check of the member's CRC refuses it.
    name = "files/x/liar.pdf"
    path = _with_member(honest, tmp_path / "liar.zip", name, _zeros(40))
    _claim(path, name, 1000)
    _refused_with_flat_memory(path, "Not a readable zip archive|CRC")


def test_a_member_compressed_more_than_100_to_1_is_refused(honest, tmp_path):
    digest = hashlib.sha256(bytes(20 * MB)).hexdigest()
    path = _with_member(honest, tmp_path / "bomb.zip", "files/x/bomb.pdf", _zeros(20), sha=digest)
    _refused_with_flat_memory(path, r"compressed more than 100:1")


def test_the_total_unpacked_size_is_limited(honest, tmp_path, settings):
    settings.PITEBRA_ARCHIVE_MAX_MB = 1
    text = os.urandom(300 * 1024).hex().encode()  # 600 KB, about 2:1

    def write(handle):
        handle.write(text)

    first = _with_member(honest, tmp_path / "one.zip", "files/x/a.txt", write)
    path = _with_member(first.read_bytes(), tmp_path / "two.zip", "files/x/b.txt", write)
    with pytest.raises(ArchiveError, match=r"unpacks to 1 MB; the limit is 1 MB"):
        import_agreement(path)


def test_a_listed_member_that_is_missing_refuses_the_archive(honest, tmp_path):
    path = _with_member(honest, tmp_path / "gone.zip", "files/x/gone.pdf", None)
    with pytest.raises(ArchiveError, match="missing"):
        import_agreement(path)


def test_an_unlisted_member_refuses_the_archive(honest, tmp_path):
    def write(handle):
        handle.write(b"#!/bin/sh\nrm -rf /\n")

    path = _with_member(honest, tmp_path / "extra.zip", "files/evil.sh", write, listed=False)
    with pytest.raises(ArchiveError, match="unlisted"):
        import_agreement(path)


def test_the_honest_archive_is_within_the_limits(honest, tmp_path):
    path = tmp_path / "honest.zip"
    path.write_bytes(honest)
    restored, summary = import_agreement(path)
    assert restored.pk != Agreement.objects.order_by("pk").first().pk
    assert summary["archive_sha256"] == hashlib.sha256(honest).hexdigest()
