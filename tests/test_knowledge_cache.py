"""The validated-knowledge cache of ``ask`` and ``chat``: fast starts never answering from stale or broken knowledge."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.assistant import Assistant, supported_lang
from bot.knowledge import Knowledge, load
from bot.knowledge.cache import cache_dir, knowledge_digest, load_cached
from tests.conftest import BEFORE, KB, ROOT, entry_for, line_of
from tests.test_cli import run_bot


def ask(question: str, kb_dir: Path, cache: Path | str) -> subprocess.CompletedProcess[str]:
    """``python -m bot ask --json`` on ``kb_dir`` with its cache in ``cache``, as a separate process."""
    env = {**os.environ, "KNOWLEDGE_DIR": str(kb_dir), "BOT_CACHE_DIR": str(cache)}
    return run_bot("ask", "--json", "--lang", "en", "--now", BEFORE.isoformat(), question, env=env)


def answer_of(result: subprocess.CompletedProcess[str]) -> str:
    """The answer text of one ``ask --json`` run (which must have succeeded)."""
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["answer"])


def same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length) and put the modification time back: only the content changes."""
    assert len(old) == len(new)
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_ask_answers_from_the_cache_and_sees_an_edit_that_keeps_size_and_time(kb_dir: Path, tmp_path: Path) -> None:
    """After an edit that keeps the file's size and modification time, the next ``ask`` answers with the new fact."""
    cache = tmp_path / "cache"
    city = KB.facts["city"]["en"]
    first = answer_of(ask("where is it?", kb_dir, cache))
    assert city in first
    assert [p.suffix for p in cache.iterdir()] == [".pickle"]
    assert answer_of(ask("where is it?", kb_dir, cache)) == first  # answered from the cache
    renamed = "Q" * len(city)
    same_size_edit(kb_dir / "event.yaml", f"    en: {city}\n", f"    en: {renamed}\n")
    edited = answer_of(ask("where is it?", kb_dir, cache))
    assert renamed in edited
    assert city not in edited


def test_a_malformed_edit_after_a_cached_answer_is_reported_not_hidden(
    kb_dir: Path, tmp_path: Path, edit: Callable[[str, str, str], None]
) -> None:
    """A YAML mistake made after answers were cached is reported with file and line, and the fix is picked up."""
    cache = tmp_path / "cache"
    answer_of(ask("when is it?", kb_dir, cache))
    edit("event.yaml", f"date: {KB.event.date.isoformat()}", "date: 2025-13-04")
    broken = ask("when is it?", kb_dir, cache)
    assert broken.returncode == 1
    line = line_of(kb_dir / "event.yaml", "  date: 2025-13-04")
    assert f"{kb_dir / 'event.yaml'}:{line}: 'event.date' must be a date like 2025-11-04" in broken.stderr
    assert broken.stdout == ""
    assert "Traceback" not in broken.stderr
    edit("event.yaml", "date: 2025-13-04", f"date: {KB.event.date.isoformat()}")
    assert "15" in answer_of(ask("when is it?", kb_dir, cache))  # the countdown: 15 days before


def test_a_damaged_or_unwritable_cache_never_stops_an_answer(kb_dir: Path, tmp_path: Path) -> None:
    """A cache file of garbage, or a cache path that is a file, only costs time: the answer is the same."""
    cache = tmp_path / "cache"
    expected = answer_of(ask("where is it?", kb_dir, cache))
    (slot,) = cache.iterdir()
    slot.write_bytes(b"\x80\x05not a pickle at all")
    result = ask("where is it?", kb_dir, cache)
    assert answer_of(result) == expected
    assert "Traceback" not in result.stderr
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    result = ask("where is it?", kb_dir, blocked)
    assert answer_of(result) == expected
    assert result.stderr == ""


def test_the_cache_can_be_turned_off(kb_dir: Path, tmp_path: Path) -> None:
    """``BOT_CACHE_DIR=off`` answers without writing a cache anywhere (not even under XDG_CACHE_HOME)."""
    home = tmp_path / "xdg"
    env = {**os.environ, "KNOWLEDGE_DIR": str(kb_dir), "BOT_CACHE_DIR": "off", "XDG_CACHE_HOME": str(home)}
    result = run_bot("ask", "--json", "where is it?", env=env)
    assert json.loads(result.stdout)["faq_id"] == entry_for("where")
    assert not home.exists()
    assert cache_dir({"BOT_CACHE_DIR": "off"}) is None
    assert cache_dir({"XDG_CACHE_HOME": str(home)}) == home / "science-for-health-bot"


def warm_cache(kb_dir: Path, tmp_path: Path) -> Path:
    """A cache folder filled by one ``ask`` on ``kb_dir``."""
    cache = tmp_path / "cache"
    answer_of(ask("when is it?", kb_dir, cache))
    return cache


def child_python(code: str, cache: Path, kb_dir: Path) -> str:
    """What ``python -c code`` prints, with the knowledge in ``kb_dir`` and its cache in ``cache``."""
    env = {**os.environ, "KNOWLEDGE_DIR": str(kb_dir), "BOT_CACHE_DIR": str(cache)}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, env=env, check=False
    )
    return result.stdout + result.stderr


def test_a_cache_hit_loads_neither_yaml_nor_the_database(kb_dir: Path, tmp_path: Path) -> None:
    """Why ``ask`` starts fast: a clear question from cache imports no YAML parser, ruamel, store, checks or model."""
    cache = warm_cache(kb_dir, tmp_path)
    code = (
        "import runpy, sys\n"
        "sys.argv = ['bot', 'ask', 'when is it?']\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = ('yaml', 'ruamel', 'telegram', 'bot.store', 'bot.learning', 'bot.knowledge.loading', "
        "'bot.knowledge.files',\n"
        "         'numpy', 'scipy', 'bot.decision')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    printed = child_python(code, cache, kb_dir)
    assert printed.strip().splitlines()[-1] == "[]", printed


def test_a_cache_hit_brings_the_trained_model(kb_dir: Path, tmp_path: Path) -> None:
    """An unsure question answered from the cache uses the model trained with the knowledge: numpy, but no scipy."""
    cache = warm_cache(kb_dir, tmp_path)
    code = (
        "import sys\n"
        "from bot.knowledge.cache import load_cached\n"
        "from bot.assistant import Assistant\n"
        f"knowledge = load_cached({str(kb_dir)!r})\n"
        "assert knowledge.decision is not None\n"
        "assistant = Assistant(knowledge)\n"
        "print(assistant.model is not None and len(assistant.model.labels), "
        "'scipy' in sys.modules, 'numpy' in sys.modules)"
    )
    printed = child_python(code, cache, kb_dir)
    assert printed.split() == [str(len(KB.entries) + 1), "False", "True"], printed


def test_load_cached_returns_what_load_returns(kb_dir: Path, tmp_path: Path) -> None:
    """A hit gives the very knowledge ``load`` gives: same entries, facts, locales and warnings."""
    fresh = load(kb_dir)
    assert load_cached(kb_dir, tmp_path / "cache") == fresh  # a miss fills the cache
    assert load_cached(kb_dir, tmp_path / "cache") == fresh  # a hit
    assert load_cached(kb_dir, tmp_path / "cache").warnings == fresh.warnings


def test_a_cache_hit_answers_as_a_fresh_load_without_indexing_again(kb_dir: Path, tmp_path: Path) -> None:
    """The matcher kept with a cached knowledge base answers every regression question as one built afresh does."""
    from bot.matcher import Matcher
    from tests.quality.cases import CHECK, load_cases

    load_cached(kb_dir, tmp_path / "cache")  # a miss fills the cache
    hit = load_cached(kb_dir, tmp_path / "cache")
    built: list[object] = []
    original = Matcher.__init__

    def counted(self: Matcher, *args: object, **kwargs: object) -> None:
        built.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Matcher, "__init__", counted)
        cached = Assistant(hit, learned=False)
    assert built == []  # nothing indexed again
    fresh = Assistant(load(kb_dir), learned=False)
    for case in load_cases(CHECK):
        lang = supported_lang(case.lang)
        expected = fresh.answer(case.question, lang, BEFORE)
        answered = cached.answer(case.question, lang, BEFORE)
        assert (answered.text, answered.faq_id) == (expected.text, expected.faq_id), case.question


def test_a_cache_file_others_could_have_written_is_ignored(kb_dir: Path, tmp_path: Path) -> None:
    """A planted cache file is used only if this user owns it and nobody else can write it; else files are reread."""
    cache = tmp_path / "cache"
    real = load_cached(kb_dir, cache)
    (slot,) = cache.iterdir()
    other_dir = tmp_path / "other"
    shutil.copytree(kb_dir, other_dir)
    city = KB.facts["city"]["en"]
    same_size_edit(other_dir / "event.yaml", f"    en: {city}\n", f"    en: {'Z' * len(city)}\n")
    planted = load(other_dir)
    slot.write_bytes(pickle.dumps((knowledge_digest(kb_dir), planted)))
    slot.chmod(0o600)
    assert load_cached(kb_dir, cache) == planted  # the control: a private file under the right key is trusted
    slot.write_bytes(pickle.dumps((knowledge_digest(kb_dir), planted)))
    slot.chmod(0o666)
    assert load_cached(kb_dir, cache) == real
    assert slot.stat().st_mode & 0o777 == 0o600  # replaced by a private copy


def test_a_file_saved_while_loading_is_never_cached_under_the_old_content(
    kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit that lands mid-load and is then undone never leaves the edited knowledge behind the original content."""
    from bot.knowledge import cache as cache_module

    cache = tmp_path / "cache"
    city = KB.facts["city"]["en"]
    event = kb_dir / "event.yaml"
    original = event.read_text(encoding="utf-8")
    real_load = cache_module._load

    def load_while_saving(directory: Path) -> Knowledge:
        """The organiser's editor saves a change after the key was taken, before the files are read."""
        event.write_text(original.replace(f"    en: {city}\n", f"    en: {'Q' * len(city)}\n", 1), encoding="utf-8")
        return real_load(directory)

    monkeypatch.setattr(cache_module, "_load", load_while_saving)
    assert load_cached(kb_dir, cache).facts["city"]["en"] == "Q" * len(city)  # this run sees the save
    monkeypatch.setattr(cache_module, "_load", real_load)
    event.write_text(original, encoding="utf-8")  # the edit is undone
    assert load_cached(kb_dir, cache).facts["city"]["en"] == city


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_a_link_planted_in_the_cache_folder_is_never_unpickled(kb_dir: Path, tmp_path: Path, link: str) -> None:
    """A symlink (or second hard link) in the cache slot to this user's private file is ignored: files are reread."""
    cache = tmp_path / "cache"
    real = load_cached(kb_dir, cache)
    (slot,) = cache.iterdir()
    other_dir = tmp_path / "other"
    shutil.copytree(kb_dir, other_dir)
    city = KB.facts["city"]["en"]
    same_size_edit(other_dir / "event.yaml", f"    en: {city}\n", f"    en: {'Z' * len(city)}\n")
    target = tmp_path / "victims-own-file.pickle"  # a file the user owns, private, holding what the attacker wants read
    target.write_bytes(pickle.dumps((knowledge_digest(kb_dir), load(other_dir))))
    target.chmod(0o600)
    slot.unlink()
    if link == "symlink":
        slot.symlink_to(target)
    else:
        os.link(target, slot)
    assert load_cached(kb_dir, cache) == real
    assert load_cached(kb_dir, cache).facts["city"]["en"] == city


def test_an_upgraded_library_changes_the_digest_without_being_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model's libraries are keyed by their installed version (read beside them, never by importing them)."""
    from bot.knowledge.cache import _version

    package = tmp_path / "site" / "modelkit"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise RuntimeError('imported')\n", encoding="utf-8")
    info = tmp_path / "site" / "modelkit-1.0.dist-info"
    info.mkdir()
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    before = _version("modelkit")
    info.rename(tmp_path / "site" / "modelkit-1.1.dist-info")
    after = _version("modelkit")
    assert (before, after) == ("modelkit-1.0.dist-info", "modelkit-1.1.dist-info")
    assert "modelkit" not in sys.modules
    assert _version("no_such_package_here") == "-"
