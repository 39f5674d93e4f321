"""Read the project's answer-quality sets into plain cases: the generic part (tests/quality/*.yaml) and the edition's.

Questions about an edition's article (its speaker, arguments, quotes, city, theme, year) travel with the edition, in
``knowledge/editions/<edition>/quality/`` under the same file names; generic questions stay here, edition-free.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

HERE = Path(__file__).parent
# The part thresholds are tuned on, the part only checked, and the long chatty messages.
TUNE = HERE / "questions.yaml"
CHECK = HERE / "check.yaml"
LONG = HERE / "long_messages.yaml"
EQUIVALENTS = HERE / "equivalents.yaml"
# First-sight sets already scored at first sight and learned from since (``first_sight/README.md``): they break the
# tune part's ties where it cannot tell thresholds apart (``benchmarks/tune_matcher.py``), never test anything.
SPENT = (HERE / "first_sight" / "set_a_fixed.yaml", HERE / "first_sight" / "set_b_fixed.yaml")
# Every first-sight set scored once and learned from since (the fixed files where the labels were fixed): the model's
# thresholds are chosen and the calibrated last look fitted on them.
ALL_SPENT = (
    *SPENT,
    *(
        HERE / "first_sight" / name
        for name in (
            *("set_c.yaml", "set_d_fixed.yaml", "set_e.yaml", "set_f.yaml", "set_g.yaml", "set_h.yaml"),
            *("set_i_unseen.yaml", "set_j_unseen.yaml", "set_k_unseen.yaml", "set_l_unseen.yaml", "set_m_unseen.yaml"),
            *("set_n_unseen.yaml", "set_o_unseen.yaml", "set_p_unseen.yaml", "set_q_unseen.yaml", "set_r_unseen.yaml"),
            *("set_s_unseen.yaml", "set_t_unseen.yaml", "set_u_unseen.yaml", "set_v_unseen.yaml", "set_w_unseen.yaml"),
            *("set_x_unseen.yaml", "set_y_unseen.yaml", "set_aa_unseen.yaml", "set_ac_unseen.yaml"),
            *("set_ad_unseen.yaml", "set_af_unseen.yaml", "set_ag_unseen.yaml", "set_aj_unseen.yaml"),
            *("set_al_unseen.yaml", "set_an_unseen.yaml", "set_ap_unseen.yaml"),
        )
    ),
)
SHIPPED = HERE.parent.parent / "knowledge"


def edition_quality(knowledge_dir: Path = SHIPPED) -> Path:
    """The quality folder of the current edition of ``knowledge_dir`` (``editions/<edition>/quality``)."""
    edition = yaml.safe_load((knowledge_dir / "event.yaml").read_text(encoding="utf-8"))["event"]["edition"]
    return knowledge_dir / "editions" / str(edition) / "quality"


@dataclass(frozen=True)
class Case:
    """One question; ``ids`` holds the acceptable answers (entry ids or "passage:<id>"), empty when off-topic."""

    lang: str
    question: str
    ids: frozenset[str]

    @property
    def in_scope(self) -> bool:
        """Whether the question should be answered."""
        return bool(self.ids)


def load_cases(path: Path, knowledge_dir: Path | None = SHIPPED) -> list[Case]:
    """The cases of one set and its part in ``knowledge_dir``'s current edition (none if ``None``); in scope first."""
    cases = _read(path)
    part = edition_quality(knowledge_dir) / path.name if knowledge_dir is not None else None
    if part is not None and part.is_file():
        cases += _read(part)
    return [c for c in cases if c.in_scope] + [c for c in cases if not c.in_scope]


def _read(path: Path) -> list[Case]:
    """The cases of one file; accepts the by-id layout and the long-message list layout."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups: list[list[str]] = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8"))
    cases: list[Case] = []
    for lang, items in (data.get("in") or {}).items():
        pairs = items.items() if isinstance(items, dict) else [(ids, [q]) for ids, q in items]
        for ids, questions in pairs:
            accepted = set(ids.split("|"))
            accepted.update(*(group for group in groups if accepted & set(group)))
            cases += [Case(lang, q, frozenset(accepted)) for q in questions]
    cases += [Case(lang, q, frozenset()) for lang, qs in (data.get("out") or {}).items() for q in qs]
    return cases


@dataclass(frozen=True)
class SpentCase:
    """A first-sight question in ``../shared/eval/score.py``'s format: right when the answer holds one of ``expect``."""

    lang: str
    question: str
    expect: tuple[str, ...]
    now: datetime | None = None

    @property
    def in_scope(self) -> bool:
        """Whether the question should be answered."""
        return bool(self.expect)

    def accepts(self, answer: str) -> bool:
        """Whether ``answer`` holds one of the expected strings (accents and case aside, as score.py folds)."""
        return any(_fold(e) in _fold(answer) for e in self.expect)


def _fold(text: str) -> str:
    """score.py's folding: accents off, case folded."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def load_spent(paths: tuple[Path, ...] = SPENT) -> list[SpentCase]:
    """The cases of the spent first-sight sets."""
    found: list[SpentCase] = []
    for path in paths:
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            now = datetime.fromisoformat(case["now"]) if "now" in case else None
            expect = tuple(case.get("expect_any", ())) if case["kind"] == "in" else ()
            found.append(SpentCase(case.get("lang", "en"), case["q"], expect, now))
    return found
