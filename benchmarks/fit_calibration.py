"""Fit the calibrated last look (bot/calibration.py) and choose its answer threshold; --write ships both.

    python benchmarks/fit_calibration.py [--write]

Every question of the tune part (tests/quality/questions.yaml) and of every spent first-sight set (ALL_SPENT) is
answered with the last look off. Where no tier answers and the rankers name an entry, the question's signals are kept
with whether that entry is a right answer (the tune part: one of its accepted ids; a first-sight set: its answer holds
an expected string, as ../shared/eval/score.py judges). The logistic regression is fitted on them.

The threshold is chosen honestly: each part's probabilities come from a fit on the other parts only (leave one part
out), and the threshold is the one answering the most right net of WRONG_COST per wrong one, with off-topic declines
>= MODEL_MIN_DECLINED on the tune part and on the spent sets together (both the tuner's: benchmarks/tune_matcher.py),
or at most DECLINE_SLACK under what the tiers before decline, whichever bar is lower. Ties: the most cautious. The
printed table is that leave-one-part-out measure, per part: what the last look would add
on questions it never learned from. Then the weights are fitted on all parts and, with --write, written to
bot/training/calibration.yaml with the chosen threshold. Run it after benchmarks/tune_matcher.py: the signals are what
the tiers before leave. Takes about a minute.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tune_matcher import DECLINE_SLACK, MODEL_MIN_DECLINED, WRONG_COST, without_last_look

from bot.assistant import Assistant
from bot.calibration import CALIBRATION_FILE, Signals, fit, supported
from bot.knowledge import load
from tests.quality.cases import ALL_SPENT, TUNE, Case, SpentCase, load_cases, load_spent

NOW = datetime.fromisoformat("2025-10-20T10:00:00+02:00")
# The last look may lower a part's declines to MODEL_MIN_DECLINED, or by DECLINE_SLACK (the tuner's), whichever is
# lower: with U to AA among the spent sets the tiers before decline under 95 % of their off-topic questions, and a bar
# at exactly 95 % would switch the last look on or off for one question more or less.
THRESHOLDS = (50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0, 90.0, 95.0, 101.0)
HEADER = """\
# The calibrated last look's weights and answer threshold (bot/calibration.py), written by
#     python benchmarks/fit_calibration.py --write
# Do not edit by hand: fitted on the tune part and the spent first-sight sets, with the tiers before it as shipped.
# Refit after the tiers' thresholds change (benchmarks/tune_matcher.py) or the knowledge changes much.
"""


@dataclass(frozen=True)
class Row:
    """One question the last look would see: its part, signals, whether the entry is right, and whether in scope."""

    part: str
    signals: Signals
    right: bool
    in_scope: bool


@dataclass
class Base:
    """A part's counts with the last look off: in-scope and off-topic questions, right, declined, wrong."""

    inside: int = 0
    outside: int = 0
    right: int = 0
    declined: int = 0
    wrong: int = 0


def collect(
    assistant: Assistant, part: str, cases: list[Case] | list[SpentCase], judge: Callable[[object, str, str], bool]
) -> tuple[list[Row], Base]:
    """The rows of ``cases`` that reach the last look, and the part's counts without it."""
    rows: list[Row] = []
    base = Base()
    seen: list[tuple[str, Signals] | None] = []
    original = assistant.calibration_signals

    def recording(*args: object) -> tuple[str, Signals] | None:
        found = original(*args)  # type: ignore[arg-type]
        seen.append(found)
        return found

    assistant.calibration_signals = recording  # type: ignore[method-assign,assignment]
    try:
        for case in cases:
            seen.clear()
            assistant.forget_decisions()
            now = getattr(case, "now", None) or NOW
            reply = assistant.answer(case.question, case.lang, now)  # type: ignore[arg-type]
            right = reply.faq_id is not None and judge(case, reply.faq_id, reply.text)
            base.inside += case.in_scope
            base.outside += not case.in_scope
            base.right += case.in_scope and right
            base.declined += not case.in_scope and reply.faq_id is None
            base.wrong += reply.faq_id is not None and not right
            found = seen[-1] if seen else None
            if reply.faq_id is None and found is not None:
                entry = assistant.knowledge.by_id[found[0]]
                text = assistant.entry_text(entry, assistant.renderer(case.lang, now))  # type: ignore[arg-type]
                rows.append(Row(part, found[1], case.in_scope and judge(case, found[0], text), case.in_scope))
    finally:
        del assistant.calibration_signals
    return rows, base


def judged_by_id(case: object, faq_id: str, _text: str) -> bool:
    """A tune-part answer is right when its entry is one the case accepts."""
    return isinstance(case, Case) and faq_id in case.ids


def judged_by_text(case: object, _faq_id: str, text: str) -> bool:
    """A first-sight answer is right when it holds an expected string (score.py's judging)."""
    return isinstance(case, SpentCase) and case.in_scope and case.accepts(text)


def outcome(base: Base, rows: list[Row], probabilities: list[float], at: float) -> Base:
    """``base`` with the rows whose probability reaches ``at`` answered."""
    after = replace(base)
    for row, probability in zip(rows, probabilities, strict=True):
        if probability < at:
            continue
        after.right += row.right
        after.wrong += not row.right
        after.declined -= not row.in_scope
    return after


def declined_share(*bases: Base) -> float:
    """Off-topic declined over ``bases`` together."""
    return sum(b.declined for b in bases) / max(1, sum(b.outside for b in bases))


def main() -> None:
    """Collect, fit leaving each part out, choose the threshold, print the table, fit on all (--write: ship it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write bot/training/calibration.yaml")
    args = parser.parse_args()
    assistant = Assistant(load(ROOT / "knowledge"))
    without_last_look(assistant)  # the tiers before it as shipped
    parts: dict[str, tuple[list[Row], Base]] = {"tune": collect(assistant, "tune", load_cases(TUNE), judged_by_id)}
    for path in ALL_SPENT:
        parts[path.stem] = collect(assistant, path.stem, load_spent((path,)), judged_by_text)
    every_row = [row for rows, _ in parts.values() for row in rows]
    print(f"{len(every_row)} questions reach the last look, {sum(r.right for r in every_row)} with a right entry")
    held_out: dict[str, list[float]] = {}
    for name, (rows, _) in parts.items():
        others = [(row.signals, row.right) for row in every_row if row.part != name]
        model = fit(others)
        held_out[name] = [model.probability(row.signals) if supported(row.signals) else 0.0 for row in rows]

    def measured(at: float) -> dict[str, Base]:
        return {name: outcome(base, rows, held_out[name], at) for name, (rows, base) in parts.items()}

    best: tuple[tuple[float, float], float] | None = None
    after: dict[str, Base]
    without = measured(101.0)
    floor_tune = min(MODEL_MIN_DECLINED, declined_share(without["tune"]) - DECLINE_SLACK)
    spent_without = declined_share(*(base for name, base in without.items() if name != "tune"))
    floor_spent = min(MODEL_MIN_DECLINED, spent_without - DECLINE_SLACK)
    print("threshold  right  wrong  declined(tune)  declined(spent)  net")
    for at in THRESHOLDS:
        after = measured(at)
        spent = [b for name, b in after.items() if name != "tune"]
        right, wrong = sum(b.right for b in after.values()), sum(b.wrong for b in after.values())
        tune_declined, spent_declined = declined_share(after["tune"]), declined_share(*spent)
        net = right - WRONG_COST * wrong
        print(f"{at:9.0f} {right:6d} {wrong:6d} {tune_declined:15.1%} {spent_declined:16.1%} {net:5.0f}")
        if tune_declined >= floor_tune and spent_declined >= floor_spent and (best is None or (net, at) > best[0]):
            best = ((net, at), at)
    chosen = best[1] if best else 101.0
    print(f"\nchosen threshold: {chosen:.0f}; per part, left out of the fitting (in-scope right, declined, wrong):")
    base_rows = {name: base for name, (_, base) in parts.items()}
    for name, part in measured(chosen).items():
        before = base_rows[name]
        print(
            f"  {name:18} right {before.right:4d} -> {part.right:4d} of {part.inside:4d}"
            f"   declined {before.declined:3d} -> {part.declined:3d} of {part.outside:3d}"
            f"   wrong {before.wrong:3d} -> {part.wrong:3d}"
        )
    final = fit([(row.signals, row.right) for row in every_row], answer_at=chosen)
    print("\nweights:", {name: round(w, 3) for name, w in final.weights.items()}, "bias", round(final.bias, 3))
    if args.write:
        CALIBRATION_FILE.write_text(
            HEADER + yaml.safe_dump(final.as_yaml(), sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        print(f"written: {CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
