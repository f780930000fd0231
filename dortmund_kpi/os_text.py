"""Why a file could not be read or written, in German: the operating system's own text
(``strerror``) is English ("No such file or directory") whatever the user's language."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "Datei nicht gefunden",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EISDIR: "ist ein Verzeichnis",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Verzeichnis",
    errno.ENOSPC: "kein Speicherplatz mehr frei",
    errno.EROFS: "Dateisystem nur lesbar",
    errno.ENAMETOOLONG: "Dateiname zu lang",
    errno.ELOOP: "zu viele symbolische Verknüpfungen",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
}


def reason(exc: OSError) -> str:
    """The German reason of an operating-system error; an unusual one keeps the system's
    own text after a German lead, so nothing is lost."""
    known = _REASONS.get(exc.errno) if exc.errno is not None else None
    if known:
        return known
    return f"Systemfehler: {exc.strerror or exc}"


def describe(exc: Exception) -> str:
    """An error while reading a file in one line: an operating-system error by its German
    reason, any other (a decoding or syntax error, which names line and column) as is."""
    return reason(exc) if isinstance(exc, OSError) else first_line(exc)


def first_line(exc: BaseException) -> str:
    """The first line of an error, for a one-line message (DuckDB's can run to many)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
