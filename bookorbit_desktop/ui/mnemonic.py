"""Outside text on a button, check box, radio button or group box title: Qt reads a lone "&"
there as the mark of a shortcut letter ("Allen & Unwin" would show as "Allen _Unwin"), so each
one is doubled to be shown as itself."""

from __future__ import annotations


def no_mnemonic(text: str) -> str:
    """`text` as a button shows it word for word, with no shortcut letter."""
    return text.replace("&", "&&")
