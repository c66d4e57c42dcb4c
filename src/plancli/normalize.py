"""Length-preserving normalization for matching.

Patterns run on a normalized copy of the text in which every character maps
to exactly one character (full-width digits and signs to ASCII, the
ideographic space to a space), so an offset into the copy is the same offset
into the original, and reported text is always sliced from the original."""
from __future__ import annotations

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space


def normalize(text: str) -> str:
    return text.translate(_FULL_WIDTH)
