"""Choose the answer thresholds on the TUNE part of the regression set only.

    python benchmarks/tune_matcher.py

For each matcher setting (entry share, unknown-word factor, ANSWER_AT, PASSAGE_AT) it answers every question of
tests/quality/questions.yaml (the tune part) and prints the share of in-scope questions answered from an acceptable
entry or passage, the share of off-topic questions declined and the share answered confidently but wrongly. The best
setting keeps off-topic declined >= 97 % and confidently wrong <= 1 % and answers the most (ties: the most cautious);
the learned model is off meanwhile. Then, with the shipped matcher setting, it chooses AGREE_AT, the learned model's
confidence at which its agreement turns a "did you mean" into an answer: the one that answers the most while off-topic
declined stays >= 95 % and confidently wrong <= 2 % (the bars answers are judged by). Then VETO_AT, the model's
off-topic confidence at which it holds back a matcher answer, by the same bars (ties: the highest). Then, for
information only, it prints the shipped setting's figures on the check part and the long messages: those never choose
anything (see docs/developers.md, "Answer quality").
"""

from __future__ import annotations

import itertools
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import assistant as assistant_module
from bot.assistant import Assistant, is_passage, passage_phrasings
from bot.knowledge import load
from bot.matcher import Matcher
from tests.quality.cases import CHECK, LONG, TUNE, Case, load_cases

NOW = datetime.fromisoformat("2025-10-20T10:00:00+02:00")
MIN_DECLINED = 0.97
MAX_WRONG = 0.01
# The agreement threshold is held to the bars the answers are judged by (issue 18): declined >= 95 %,
# confidently wrong <= 2 %; the lowest threshold that keeps them answers the most.
AGREE_MIN_DECLINED = 0.95
AGREE_MAX_WRONG = 0.02


def measure(assistant: Assistant, cases: list[Case]) -> tuple[float, float, float]:
    """In-scope answered right, off-topic declined, and confidently wrong (share of all cases)."""
    assistant.forget_decisions()  # decided under the previous setting: decide again under this one
    right = declined = wrong = 0
    for case in cases:
        faq_id = assistant.answer(case.question, case.lang, NOW).faq_id  # type: ignore[arg-type]
        if case.in_scope:
            right += faq_id in case.ids
            wrong += faq_id is not None and faq_id not in case.ids
        else:
            declined += faq_id is None
            wrong += faq_id is not None
    inside = sum(c.in_scope for c in cases) or 1
    outside = sum(not c.in_scope for c in cases) or 1
    return right / inside, declined / outside, wrong / max(len(cases), 1)


def rebuild(assistant: Assistant, share: float, unknown: float) -> None:
    """Give ``assistant`` matchers built with these settings."""
    normalisers = assistant.matcher.normalisers
    assistant.matcher = Matcher(assistant.matcher.phrasings, normalisers, entry_share=share, unknown_factor=unknown)
    everything = [*assistant.matcher.phrasings, *passage_phrasings(assistant.knowledge.passages)]
    assistant.passage_matcher = Matcher(
        everything, normalisers, rank_only=is_passage, entry_share=share, unknown_factor=unknown
    )


def main() -> None:
    """Print the grid on the tune part, the chosen setting, and the shipped setting on the other parts."""
    knowledge = load(ROOT / "knowledge")
    assistant = Assistant(knowledge)
    tune = load_cases(TUNE)
    print(f"tune part: {sum(c.in_scope for c in tune)} in-scope, {sum(not c.in_scope for c in tune)} off-topic")
    print("  share  unknown  answer_at  passage_at  in-scope  declined  wrong")
    shipped = (
        assistant_module.ANSWER_AT, assistant_module.PASSAGE_AT,
    )  # fmt: skip
    best: tuple[tuple[float, ...], tuple[float, ...]] | None = None
    shipped_agree = assistant_module.AGREE_AT
    assistant_module.AGREE_AT = 101.0  # the matcher's own settings are chosen without the learned model
    for share, unknown in itertools.product((0.0, 0.25, 0.5), (0.8, 1.0)):
        rebuild(assistant, share, unknown)
        for answer_at, passage_at in itertools.product((58.0, 62.0, 66.0), (50.0, 55.0, 60.0, 65.0, 70.0)):
            assistant_module.ANSWER_AT, assistant_module.PASSAGE_AT = answer_at, passage_at
            rate_in, rate_out, rate_wrong = measure(assistant, tune)
            print(
                f"{share:7.2f} {unknown:8.1f} {answer_at:10.0f} {passage_at:11.0f} "
                f"{rate_in:9.0%} {rate_out:9.0%} {rate_wrong:6.1%}"
            )
            if rate_out >= MIN_DECLINED and rate_wrong <= MAX_WRONG:
                key = (rate_in, rate_out, -rate_wrong, -share, passage_at)  # ties: the more cautious
                if best is None or key > best[0]:
                    best = (key, (share, unknown, answer_at, passage_at))
    assistant_module.ANSWER_AT, assistant_module.PASSAGE_AT = shipped
    assistant_module.AGREE_AT = shipped_agree
    print(f"\nbest on the tune part (entry share, unknown, ANSWER_AT, PASSAGE_AT): {best[1] if best else None}")
    shipped_assistant = Assistant(knowledge)
    print("\nthen, with the shipped matcher, the learned model's agreement threshold (101: never):")
    print("  agree_at  in-scope  declined  wrong")
    chosen: tuple[tuple[float, float, float, float], float] | None = None
    for agree_at in (30.0, 35.0, 40.0, 45.0, 50.0, 60.0, 70.0, 101.0):
        assistant_module.AGREE_AT = agree_at
        rate_in, rate_out, rate_wrong = measure(shipped_assistant, tune)
        print(f"{agree_at:10.0f} {rate_in:9.0%} {rate_out:9.0%} {rate_wrong:6.1%}")
        if rate_out >= AGREE_MIN_DECLINED and rate_wrong <= AGREE_MAX_WRONG:
            ranking = (rate_in, rate_out, -rate_wrong, agree_at)  # ties: the more cautious (higher) threshold
            if chosen is None or ranking > chosen[0]:
                chosen = (ranking, agree_at)
    assistant_module.AGREE_AT = shipped_agree
    print(f"best AGREE_AT on the tune part: {chosen[1] if chosen else None}")
    print("\nthen the veto: the model's off-topic confidence at which it holds back a matcher answer (101: never):")
    print("  veto_at  in-scope  declined  wrong")
    shipped_veto, vetoes = assistant_module.VETO_AT, list[tuple[float, float, float, float]]()
    for veto_at in (101.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0, 20.0):
        assistant_module.VETO_AT = veto_at
        rate_in, rate_out, rate_wrong = measure(shipped_assistant, tune)
        print(f"{veto_at:9.0f} {rate_in:9.0%} {rate_out:9.0%} {rate_wrong:6.1%}")
        vetoes.append((veto_at, rate_in, rate_out, rate_wrong))
    assistant_module.VETO_AT = shipped_veto
    # The same bars as AGREE_AT; of the thresholds that keep them, the one answering the most, ties: the highest.
    kept = [
        (rate_in, veto_at)
        for veto_at, rate_in, rate_out, rate_wrong in vetoes
        if rate_out >= AGREE_MIN_DECLINED and rate_wrong <= AGREE_MAX_WRONG
    ]
    print(f"best VETO_AT on the tune part: {max(kept)[1] if kept else None}")
    for name, path in (("tune", TUNE), ("check", CHECK), ("long messages", LONG)):
        rate_in, rate_out, rate_wrong = measure(shipped_assistant, load_cases(path))
        print(
            f"shipped setting, {name}: in-scope {rate_in:.0%}, declined "
            f"{rate_out:.0%}, confidently wrong {rate_wrong:.1%}"
        )


if __name__ == "__main__":
    main()
