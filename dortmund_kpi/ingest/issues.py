"""Import problems, reported as ``FILE:LINE: column: what is wrong (expected ...)``."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from dortmund_kpi import texts
from dortmund_kpi.formatting import counted

# Line and paragraph separators and bidi controls: they could forge output lines or
# reorder what a terminal shows, like the C0/C1 control characters.
_INVISIBLE = frozenset(
    "\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def visible(text: str) -> str:
    """Control characters from a data file written as escapes (never raw into a terminal)."""
    return "".join(_escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if unicodedata.category(ch) != "Cc" and ch not in _INVISIBLE:
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{visible(self.file)}:{self.line}: {self.column}: {visible(self.message)}"


class ImportFailed(Exception):
    """Validation found problems; nothing was written."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(counted(len(issues), *texts.PROBLEMS))
        self.issues = issues

    @property
    def problems_text(self) -> str:
        """How many problems, in words: "1 Problem", "3 Probleme"."""
        return str(self)
