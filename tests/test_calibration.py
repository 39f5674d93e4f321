"""The calibrated last look (bot/calibration.py): its shipped file, its errors, its fitting, and the bot without it."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bot import calibration as calibration_module
from bot.assistant import Assistant
from bot.calibration import (
    FEATURES,
    MIN_MODEL_SUPPORT,
    Calibration,
    CalibrationError,
    Signals,
    fit,
    load_calibration,
)
from bot.knowledge import Knowledge
from tests.conftest import BEFORE


def signals(off_topic: float, agree: bool = True, words: int = 8) -> Signals:
    """Signals of a question the matcher scores 50 and the model 40, with the given off-topic confidence."""
    return Signals(
        matcher=50.0,
        margin=10.0,
        model_entry=40.0,
        off_topic=off_topic,
        agree=agree,
        words=words,
        asks=True,
        candidate_model=40.0,
        candidate_matcher=50.0,
        passage=30.0,
    )


def test_the_shipped_calibration_reads_every_signal_and_answers_only_when_likely_right() -> None:
    """The shipped file weighs every signal; a question the model calls off-topic is less likely right."""
    shipped = load_calibration()
    assert set(shipped.weights) == set(FEATURES)
    assert 50.0 <= shipped.answer_at <= 101.0
    assert shipped.probability(signals(off_topic=90.0)) < shipped.probability(signals(off_topic=5.0))


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda data: data["weights"].pop("off_topic"), "missing ['off_topic']"),
        (lambda data: data["weights"].update(typo_field=1.0), "unknown ['typo_field']"),
        (lambda data: data["weights"].update(agree="high"), "not a finite number: weights.agree"),
        (lambda data: data.update(answer_at=None), "not a finite number: answer_at"),
        (lambda data: data.pop("weights"), "needs 'answer_at', 'bias' and 'weights'"),
        (lambda data: data.update(bias=float("nan")), "not a finite number: bias"),
        (lambda data: data["weights"].update(words=float("inf")), "not a finite number: weights.words"),
        (lambda data: data.update(answer_at=-5.0), "answer_at must be a probability from 0 to 100"),
        (lambda data: data.update(answer_at=150.0), "answer_at must be a probability from 0 to 100"),
        (lambda data: data.update(answer_at_typo=80.0), "unknown field answer_at_typo"),
    ],
)
def test_a_broken_calibration_file_is_an_error_naming_the_file_and_field(
    tmp_path: Path, change: object, named: str
) -> None:
    """A calibration file the code cannot read says which file and which field."""
    data = yaml.safe_load(calibration_module.CALIBRATION_FILE.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "calibration.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CalibrationError) as error:
        load_calibration(path)
    assert str(path) in str(error.value)
    assert named in str(error.value)


def test_a_calibration_file_that_is_not_text_is_an_error_naming_the_file(tmp_path: Path) -> None:
    """Bytes that are no UTF-8 text are a clear error, never an exception the bot does not expect."""
    path = tmp_path / "calibration.yaml"
    path.write_bytes(b"answer_at: 80\n\xff\xfe bias: 0\n")
    with pytest.raises(CalibrationError, match="cannot be read"):
        load_calibration(path)


def test_the_last_look_never_answers_a_candidate_the_model_does_not_support() -> None:
    """However long the message and sure the weights, the model must give the candidate some confidence."""
    sure = Calibration(dict.fromkeys(FEATURES, 0.0), 50.0, 75.0)
    unsupported = replace(signals(off_topic=0.0, words=40), candidate_model=MIN_MODEL_SUPPORT - 1)
    assert sure.probability(unsupported) > 99.0
    assert sure.answers(unsupported) is None
    assert sure.answers(replace(unsupported, candidate_model=MIN_MODEL_SUPPORT)) is not None


def test_fitting_learns_which_signals_make_an_answer_right_and_ships_what_it_learned(tmp_path: Path) -> None:
    """Fitted on rows where off-topic questions were wrong, it answers on-topic ones; the YAML round trip keeps it."""
    rows = [(signals(off_topic=float(off)), off < 50) for off in range(0, 100, 2)]
    rows += [(signals(off_topic=float(off), agree=False), off < 30) for off in range(0, 100, 5)]
    fitted = fit(rows, answer_at=80.0)
    assert fitted.answers(signals(off_topic=2.0)) is not None
    assert fitted.answers(signals(off_topic=95.0)) is None
    path = tmp_path / "calibration.yaml"
    path.write_text(yaml.safe_dump(fitted.as_yaml()), encoding="utf-8")
    again = load_calibration(path)
    assert again.answer_at == 80.0
    assert again.probability(signals(off_topic=40.0)) == pytest.approx(fitted.probability(signals(off_topic=40.0)))


def test_a_threshold_above_100_never_answers() -> None:
    """The last look off (its threshold above 100) answers nothing, however sure."""
    never = Calibration(dict.fromkeys(FEATURES, 0.0), 50.0, 101.0)
    assert never.probability(signals(off_topic=0.0)) > 99.0
    assert never.answers(signals(off_topic=0.0)) is None


def test_the_bot_answers_without_the_last_look_when_its_file_is_unreadable(
    knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A broken calibration file is logged once and the tiers before the last look still answer."""
    broken = tmp_path / "calibration.yaml"
    broken.write_text("weights: [not, a, mapping]\n", encoding="utf-8")
    monkeypatch.setattr(calibration_module, "CALIBRATION_FILE", broken)
    assistant = Assistant(knowledge)
    with caplog.at_level(logging.ERROR, logger="bot.assistant"):
        answer = assistant.answer("when is it?", "en", BEFORE)
        assistant.answer("qsdfqsdf zzkj", "en", BEFORE)
    assert answer.outcome == "answer"
    assert assistant.calibration is None
    assert [r.getMessage() for r in caplog.records].count(
        "the calibration could not be read; answering without the calibrated last look"
    ) == 1
