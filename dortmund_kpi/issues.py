"""Import problems, reported as ``FILE:LINE: column: what is wrong (expected ...)``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class ImportFailed(Exception):
    """Validation found problems; nothing was written."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} Problem(e)")
        self.issues = issues
