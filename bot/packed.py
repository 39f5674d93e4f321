"""A trained decision model kept as bytes, so a cached knowledge base loads without numpy. Pure; no Telegram."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.decision import DecisionModel


@dataclass(frozen=True)
class PackedModel:
    """A decision model, pickled: unpacked (which imports numpy) only when a question needs it."""

    blob: bytes

    @classmethod
    def pack(cls, model: DecisionModel) -> PackedModel:
        """``model`` as bytes."""
        return cls(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))

    def unpack(self) -> DecisionModel:
        """The model again (from our own cache file, whose owner and mode were checked before it was read)."""
        return pickle.loads(self.blob)  # type: ignore[no-any-return]  # noqa: S301
