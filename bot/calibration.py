"""The calibrated last look: how likely the rankers' best entry is right, where no tier before answered. Pure.

Each tier of ``Assistant.decide`` reads one or two signals against a threshold (the matcher's score, the learned
model's confidence in an entry or in off-topic). A question none of them answers is then offered as "did you mean" or
declined, although the two rankers often agree on the right entry: context around a question lowers the model's
confidence in every entry ("I handle travel for our research director. Could you kindly tell me on which day of the
week the event falls?" was declined). This module weighs the signals together (``Signals``): a logistic regression
(``fit``) learned offline from the spent first-sight sets and the tune part, where the right answer is known, by
``benchmarks/fit_calibration.py``. Its weights and answer threshold ship in ``bot/training/calibration.yaml``. The
assistant answers the best entry when the probability reaches that threshold and the model gives that entry some
confidence (``MIN_MODEL_SUPPORT``); the answer's score is then the probability, where other tiers give a ranker's
score. Answering needs the standard library only; fitting uses numpy and scipy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CALIBRATION_FILE = Path(__file__).parent / "training" / "calibration.yaml"
# A message's length counts up to this many words: beyond, a message is long whatever its length. At 20, length
# alone answered long off-topic messages with one event word ("I need help with my tax return, the deadline is before
# the event, what should I fill in on line 12?" got the registration answer): an outside review found eleven.
WORDS_CAP = 10
# The learned model must give the candidate at least this confidence (0-100): the length and the matcher alone never
# answer a message the model does not connect with the entry.
MIN_MODEL_SUPPORT = 10.0
# Inverse regularisation strength of the fitting, on standardised signals (about 1,000 questions reach this tier).
C = 1.0


@dataclass(frozen=True)
class Signals:
    """What the rankers said about a question no tier answered, and about the entry it would be answered with.

    Scores are 0-100 as the rankers give them; ``candidate``: the model's first entry if it is among the matcher's
    first three, else the matcher's first.
    """

    matcher: float  # the matcher's first score
    margin: float  # ... over its second
    model_entry: float  # the learned model's confidence in its first entry
    off_topic: float  # ... and in its off-topic class
    agree: bool  # both put the same entry first
    words: int  # the message's words
    asks: bool  # it has a question word ("where", "wanneer", "quel"): it asks for something, not only whether
    candidate_model: float  # the model's confidence in the candidate
    candidate_matcher: float  # the matcher's score of the candidate
    passage: float  # the best article passage's score (0: none, or not looked for)

    def values(self) -> dict[str, float]:
        """The signals as the regression reads them: scores as shares, the length capped, yes/no as 1/0."""
        raw = asdict(self)
        found = {name: float(value) / 100.0 for name, value in raw.items() if name not in ("agree", "words", "asks")}
        found |= {"agree": float(self.agree), "asks": float(self.asks), "words": min(self.words, WORDS_CAP) / WORDS_CAP}
        return {name: found[name] for name in FEATURES}


FEATURES = tuple(name for name in Signals.__dataclass_fields__)


def supported(signals: Signals) -> bool:
    """Whether the learned model gives the candidate ``MIN_MODEL_SUPPORT`` or more: else the last look never answers."""
    return signals.candidate_model >= MIN_MODEL_SUPPORT


class CalibrationError(ValueError):
    """The shipped calibration file is not one the code can read (names the file and the field)."""


@dataclass(frozen=True)
class Calibration:
    """A logistic regression over ``Signals``: weights per feature, a bias, and the probability to answer from."""

    weights: Mapping[str, float]
    bias: float
    answer_at: float  # 0-100; above 100: never answers

    def probability(self, signals: Signals) -> float:
        """The probability (0-100) that the candidate entry is a right answer to the question ``signals`` describe."""
        values = signals.values()
        z = self.bias + sum(self.weights[name] * values[name] for name in FEATURES)
        return 100.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def answers(self, signals: Signals) -> float | None:
        """The probability if it reaches ``answer_at`` and the model supports the candidate, else ``None``.

        Above 100, never: nothing is computed.
        """
        if self.answer_at > 100.0 or not supported(signals):
            return None
        found = self.probability(signals)
        return found if found >= self.answer_at else None

    def as_yaml(self) -> dict[str, Any]:
        """The fields written to ``CALIBRATION_FILE``."""
        return {
            "answer_at": self.answer_at,
            "bias": round(self.bias, 6),
            "weights": {name: round(self.weights[name], 6) for name in FEATURES},
        }


def load_calibration(path: Path | None = None) -> Calibration:
    """The calibration in ``path`` (default: the shipped one); a field it cannot read is a ``CalibrationError``."""
    import yaml

    path = path or CALIBRATION_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CalibrationError(f"{path}: cannot be read ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
        raise CalibrationError(f"{path}: needs 'answer_at', 'bias' and 'weights' (a mapping of feature to weight)")
    extra = sorted(str(key) for key in data if key not in ("answer_at", "bias", "weights"))
    if extra:
        raise CalibrationError(f"{path}: unknown field {', '.join(extra)}")
    weights = data["weights"]
    missing = [name for name in FEATURES if name not in weights]
    unknown = [name for name in weights if name not in FEATURES]
    if missing or unknown:
        raise CalibrationError(f"{path}: weights: missing {missing or 'none'}, unknown {unknown or 'none'}")
    numbers = {
        "answer_at": data.get("answer_at"),
        "bias": data.get("bias"),
        **{f"weights.{k}": v for k, v in weights.items()},
    }
    wrong = [
        name
        for name, value in numbers.items()
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
    ]
    if wrong:
        raise CalibrationError(f"{path}: not a finite number: {', '.join(wrong)}")
    if not 0.0 <= data["answer_at"] <= 101.0:
        raise CalibrationError(
            f"{path}: answer_at must be a probability from 0 to 100 (101: never), not {data['answer_at']}"
        )
    return Calibration({name: float(weights[name]) for name in FEATURES}, float(data["bias"]), float(data["answer_at"]))


def fit(rows: Sequence[tuple[Signals, bool]], answer_at: float = 101.0, c: float = C) -> Calibration:
    """A calibration learned from ``rows`` (signals, whether the candidate was right): L2 logistic regression.

    The signals are standardised for the fitting and the scaling folded back into the weights, so answering reads the
    raw values. ``answer_at`` is carried as given (``benchmarks/fit_calibration.py`` chooses it).
    """
    import numpy as np
    from scipy.optimize import minimize

    matrix = np.array([[signals.values()[name] for name in FEATURES] for signals, _ in rows], dtype=np.float64)
    target = np.array([1.0 if right else 0.0 for _, right in rows])
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0.0] = 1.0
    standard = (matrix - mean) / scale

    def loss(params: Any) -> tuple[float, Any]:
        weights, bias = params[:-1], params[-1]
        z = standard @ weights + bias
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-12
        value = -np.sum(target * np.log(p + eps) + (1 - target) * np.log(1 - p + eps)) + 0.5 / c * weights @ weights
        error = p - target
        gradient = np.append(standard.T @ error + weights / c, error.sum())
        return float(value), gradient

    found = minimize(loss, np.zeros(len(FEATURES) + 1), jac=True, method="L-BFGS-B").x
    weights = found[:-1] / scale
    bias = float(found[-1] - weights @ mean)
    return Calibration(dict(zip(FEATURES, (float(w) for w in weights), strict=True)), bias, answer_at)
