"""A cache of the validated knowledge base for the terminal commands, so ``ask`` starts fast.

``load`` reads and checks every file (YAML, schema, cross-file checks), and the assistant
trains its decision model, on each start; for a one-question process that is most of its time.
``load_cached`` keeps the result of a successful ``load``, with the decision model trained on
it (as bytes: a hit imports no numpy until a question needs the model) and the matcher indexing it,
in the user's cache folder, keyed by a digest of everything they depend on: the content of every knowledge file,
the loader's and the model's source code, the shipped off-topic questions, frames and name questions, and the Python,
pydantic, numpy, scipy and rapidfuzz versions. Any change to any of them is a miss, and a miss is a plain
``load``, so a malformed edit is reported exactly as without the cache. Only successful
loads are kept; nothing about users is stored. The bot itself (``run``) and ``check``
always validate from the files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pydantic

from bot.knowledge.model import Knowledge
from bot.knowledge.safe_read import read_capped
from bot.knowledge.schema import EDITIONS, FILES, LANGS

CACHE_DIR_VARIABLE = "BOT_CACHE_DIR"
# How many trained models the bot keeps (one per content of the knowledge files it trained on): a reload after an undo
# finds the model again, and the folder stays small (about 3 MB each).
MODELS_KEPT = 8
# Bump when the cached object's meaning changes in a way the source digest cannot see.
_FORMAT = b"knowledge-cache/2"
_PACKAGE = Path(__file__).resolve().parent
# The loader's code (this package, and the text folding its checks use), and what the decision model stored
# with the knowledge is trained by and from (its code, the shipped off-topic questions, frames and name questions).
_LOADER_SOURCES = [
    *sorted(_PACKAGE.glob("*.py")), _PACKAGE.parent / "text.py",
    _PACKAGE.parent / "decision.py", _PACKAGE.parent / "assistant.py", _PACKAGE.parent / "packed.py",
    _PACKAGE.parent / "matcher.py",
    _PACKAGE.parent / "training" / "off_topic.yaml", _PACKAGE.parent / "training" / "frames.yaml",
    _PACKAGE.parent / "training" / "names.yaml",
    _PACKAGE.parent / "commands.py",
    *sorted((_PACKAGE.parent / "locales").glob("*.yaml")),
]  # fmt: skip


def cache_dir(env: dict[str, str] | None = None) -> Path | None:
    """Where the cache lives: $BOT_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache plus the bot's name; ``None``: "off"."""
    env = dict(os.environ) if env is None else env
    chosen = env.get(CACHE_DIR_VARIABLE, "")
    if chosen.strip().lower() in ("off", "none", "0", "false", "no"):
        return None
    if chosen:
        return Path(chosen)
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "science-for-health-bot"


def _inputs(directory: Path) -> list[Path]:
    """Every file ``load`` reads from ``directory``."""
    editions = sorted((directory / EDITIONS).glob("*/*.yaml"))
    return [directory / name for name in FILES] + [directory / "locales" / f"{lang}.yaml" for lang in LANGS] + editions


def knowledge_digest(directory: Path) -> str:
    """A digest of everything a ``load(directory)`` result depends on (files, loader code, versions)."""
    return _digests(directory)[0]


def _digests(directory: Path) -> tuple[str, str]:
    """``knowledge_digest(directory)``, and a digest of the same files' content alone (``directory`` left out).

    One read of the files serves both: a model stored under the second was trained on the files the first saw.
    """
    located = hashlib.blake2b(_FORMAT, digest_size=20)
    content = hashlib.blake2b(_FORMAT, digest_size=20)
    for part in (sys.version, pydantic.VERSION, *map(_version, ("numpy", "scipy", "rapidfuzz"))):
        for digest in (located, content):
            digest.update(part.encode() + b"\0")
    located.update(str(directory).encode() + b"\0")
    for source in _LOADER_SOURCES:
        for digest in (located, content):
            digest.update(source.read_bytes() + b"\0")
    for path in _inputs(directory):
        name = str(path.relative_to(directory)).encode() + b"\0"
        try:
            read = b"+" + read_capped(path)
        except FileNotFoundError:
            read = b"-"
        except OSError:  # unreadable, a pipe, or too large: let ``load`` say so, never trust a cached copy
            read = os.urandom(16)
        for digest in (located, content):
            digest.update(name + read)
    return located.hexdigest(), content.hexdigest()


def _version(package: str) -> str:
    """An installed package's version, from its ``dist-info`` folder's name: no import, no scan of every distribution.

    ``importlib.metadata.version`` reads every distribution on the path (about 50 ms, a sixth of ``ask``); the
    package's own folder is found by the import system without running it, and its metadata lies beside it.
    """
    from importlib.util import find_spec

    try:
        spec = find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return "-"
    origin = Path(spec.origin)
    found = sorted(info.name for info in origin.parent.parent.glob(f"{package}-*.dist-info"))
    # no metadata beside it (a source checkout): the package's own file, as changed, stands for its version
    return ",".join(found) or f"{origin}@{origin.stat().st_mtime_ns}"


def _slot(where: Path, directory: Path) -> Path:
    """The cache file of one knowledge folder as written (the path as given is in the knowledge), replaced on change."""
    name = hashlib.blake2b(f"{directory.resolve()}\0{directory}".encode(), digest_size=8).hexdigest()
    return where / f"knowledge-{name}.pickle"


def load_cached(directory: str | Path, where: Path | None = None) -> Knowledge:
    """``load(directory)``, from the cache when nothing it depends on changed; refreshes the cache after a miss."""
    directory = Path(directory)
    where = cache_dir() if where is None else where
    if where is None or not directory.is_dir():
        return _load(directory)
    key = knowledge_digest(directory)
    slot = _slot(where, directory)
    cached = _read(slot, key)
    if cached is not None:
        return cached
    knowledge = _trained(_load(directory))  # raises KnowledgeError as usual; failures are never cached
    if knowledge_digest(directory) == key:
        # a file saved while loading: keep nothing rather than file it under the old key
        _store(slot, key, knowledge)
    return knowledge


def with_decision(directory: str | Path, knowledge: Knowledge, before: str, where: Path | None = None) -> Knowledge:
    """``knowledge`` (just loaded from ``directory``, whose digest was ``before``) with its decision model.

    The bot validates the files on every start and reload; only the trained model is taken from
    the cache, when the files are still those of ``before`` and a model was stored for their content
    (wherever the folder is: a copy of the same files reuses it). Otherwise it is trained now and
    stored for the next start; the ``MODELS_KEPT`` most recently used models are kept.
    """
    directory = Path(directory)
    where = cache_dir() if where is None else where
    now, content = _digests(directory)
    if where is None or now != before:
        # no cache, or a file saved while loading: train, keep nothing
        return _trained(knowledge)
    slot = where / f"model-{content[:32]}.pickle"
    cached = _read(slot, content)
    if cached is not None and cached.decision is not None:
        _mark_used(slot)
        return replace(knowledge, decision=cached.decision)
    trained = _trained(knowledge)
    if trained.decision is not None and knowledge_digest(directory) == before:
        _store(slot, content, replace(trained, index=None))  # only the model is taken from this slot
        _keep_recent_models(where)
    return trained


def _mark_used(slot: Path) -> None:
    """Date a model just reused as new: the ones pruned are those least recently used, not the oldest written."""
    with contextlib.suppress(OSError):  # a folder made read-only since: the model still answers
        os.utime(slot)


def _keep_recent_models(where: Path) -> None:
    """Delete all but the ``MODELS_KEPT`` most recently used models in ``where`` (each edit stores a new one)."""
    with contextlib.suppress(OSError):  # another process pruning at once, or a folder that cannot be listed
        models = sorted(where.glob("model-*.pickle"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for stale in models[MODELS_KEPT:]:
            stale.unlink(missing_ok=True)


def _read(slot: Path, key: str) -> Knowledge | None:
    """The cached knowledge in ``slot`` under ``key``; ``None`` if missing, stale, damaged or of another version."""
    try:
        # Never through a symlink (one planted in a shared cache folder could point at any file this user owns), and
        # every check on the descriptor actually opened, so the file cannot be swapped between the check and the read.
        descriptor = os.open(slot, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as file:
            status = os.fstat(file.fileno())
            if not _private(status):
                return None
            stored_key, knowledge = pickle.load(file)  # noqa: S301 - our own file (checked above)
    except Exception:
        return None
    return knowledge if stored_key == key and isinstance(knowledge, Knowledge) else None


def _private(status: os.stat_result) -> bool:
    """Whether an opened cache file is ours and no one else can change it: a regular file, owned, 1 link, 0o600-like."""
    return (
        stat.S_ISREG(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & 0o022
        and status.st_nlink == 1
    )


def _load(directory: Path) -> Knowledge:
    """The plain ``load``, imported only on a miss: a hit never loads YAML or the checks."""
    from bot.knowledge.loading import load

    return load(directory)


def _trained(knowledge: Knowledge) -> Knowledge:
    """``knowledge`` with its decision model and its matcher: a cache hit answers without training or indexing."""
    from bot.assistant import index_of, trained_or_none
    from bot.packed import PackedModel

    model = trained_or_none(knowledge)
    indexed = replace(knowledge, index=index_of(knowledge))
    return indexed if model is None else replace(indexed, decision=PackedModel.pack(model))


def _store(slot: Path, key: str, knowledge: Knowledge) -> None:
    """Write the cache file atomically (readable by the owner only); a cache that cannot be written is skipped."""
    try:
        slot.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=slot.parent, prefix=slot.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump((key, knowledge), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, slot)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass
