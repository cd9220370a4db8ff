"""``imu recover`` writes over nothing: neither an earlier crash's journal nor a recording."""

from __future__ import annotations

from imu.cli import main
from imu.io.journal import is_recovered_journal, journal_stem, set_aside
from tests.io.test_journal import frames, write_journal


def test_recover_keeps_the_journal_of_an_earlier_crash(tmp_path, capsys):
    """A folder held k2.imuj.recovered from an earlier crash: recovering a new k2.imuj replaced
    it (the earlier journal was lost) though the help says nothing is written over."""
    old = tmp_path / "k2.imuj.recovered"
    write_journal(old, frames(200))
    old_bytes = old.read_bytes()
    (tmp_path / "k2.parquet").write_bytes(b"an earlier recording")
    new = tmp_path / "k2.imuj"
    write_journal(new, frames(400))
    new_bytes = new.read_bytes()
    assert main(["recover", str(new)]) == 0
    out = capsys.readouterr().out
    assert old.read_bytes() == old_bytes
    assert (tmp_path / "k2.imuj.recovered-2").read_bytes() == new_bytes
    assert not new.exists()
    assert (tmp_path / "k2.parquet").read_bytes() == b"an earlier recording"
    assert (tmp_path / "k2-recovered.parquet").exists()
    assert "journal kept as k2.imuj.recovered-2" in out
    assert "k2.imuj.recovered, of an earlier recovery, is kept: not written over" in out
    assert "k2.parquet is there, not written over" in out

    # A third crash of the same name: -3, the two earlier ones kept.
    write_journal(new, frames(300))
    assert main(["recover", str(new)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "k2.imuj.recovered-3").exists() and old.read_bytes() == old_bytes
    assert (tmp_path / "k2-recovered-2.parquet").exists()
    assert "k2.imuj.recovered to k2.imuj.recovered-2, of earlier recoveries" in out

    # Recovering a set-aside journal again beside its recording is refused, naming it (trial
    # 23: a second copy of the session, which imu progress counted twice); the earlier
    # crashes' recordings of the same name are told apart. Elsewhere it renames nothing.
    capsys.readouterr()
    assert main(["recover", str(tmp_path / "k2.imuj.recovered-2")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"already recovered into {tmp_path / 'k2-recovered.parquet'}" in err
    assert "--out" in err
    assert sorted(p.name for p in tmp_path.glob("*.parquet")) == [
        "k2-recovered-2.parquet", "k2-recovered.parquet", "k2.parquet"]
    elsewhere = tmp_path / "copy"
    assert main(["recover", str(tmp_path / "k2.imuj.recovered-2"), "--out", str(elsewhere)]) == 0
    assert (elsewhere / "k2.parquet").exists()
    assert (tmp_path / "k2.imuj.recovered-2").read_bytes() == new_bytes
    assert not (tmp_path / "k2.imuj.recovered-2.recovered").exists()


def test_set_aside_names(tmp_path):
    j = tmp_path / "a.b.imuj"
    j.write_bytes(b"1")
    first = set_aside(j)
    j.write_bytes(b"2")
    second = set_aside(j, ".empty")
    assert first.name == "a.b.imuj.recovered" and second.name == "a.b.imuj.empty"
    j.write_bytes(b"3")
    assert set_aside(j).name == "a.b.imuj.recovered-2"
    assert first.read_bytes() == b"1"
    for name in ("a.b.imuj", "a.b.imuj.recovered", "a.b.imuj.recovered-12", "a.b.imuj.empty-2"):
        assert journal_stem(tmp_path / name) == "a.b"
    assert is_recovered_journal("x.imuj.recovered-2") and is_recovered_journal("x.imuj.recovered")
    assert not is_recovered_journal("x.imuj") and not is_recovered_journal("x.imuj.empty")
    assert not is_recovered_journal("x.imuj.recovered-")


def test_analyze_names_a_set_aside_journal(tmp_path, capsys):
    path = tmp_path / "k2.imuj.recovered-2"
    write_journal(path, frames(200))
    assert main(["analyze", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "already recovered into a recording" in capsys.readouterr().err


def test_live_start_up_recovery_keeps_the_journal_of_an_earlier_crash(tmp_path):
    """The next ``imu live`` recovers a left-over journal the same way: never over an
    earlier ``NAME.imuj.recovered``."""
    from imu.live.finish import recover_leftover_journals

    old = tmp_path / "k2.imuj.recovered"
    write_journal(old, frames(200))
    old_bytes = old.read_bytes()
    new = tmp_path / "k2.imuj"
    write_journal(new, frames(400))
    new_bytes = new.read_bytes()
    results = recover_leftover_journals(tmp_path)
    assert len(results) == 1 and results[0].recording is not None
    assert old.read_bytes() == old_bytes
    assert (tmp_path / "k2.imuj.recovered-2").read_bytes() == new_bytes
    assert results[0].kept_as == tmp_path / "k2.imuj.recovered-2"  # and it is said
