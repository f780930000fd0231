"""Who may import in the browser: the allow-list ``[editors]`` of ``secrets.toml``.

Fail closed. Only an account whose e-mail address is on the list, and verified by the
identity provider (claim ``email_verified``), gets the upload form. No ``[editors]``
section: nobody. A malformed section (not a table, an unknown key such as ``email``,
``emails`` empty or not a list of addresses, a section spelled like ``[editor]``) is a
configuration error: the dashboard and ``dortmund-kpi serve`` refuse to start with a
message naming it, rather than guess what was meant.

``require_verified_email = false`` is the explicit opt-out for an identity provider that
does not send ``email_verified`` (only when it vouches for the address itself).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECTION = "editors"
KEYS = ("emails", "require_verified_email")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class EditorConfigError(ValueError):
    """The allow-list in secrets.toml is malformed (the dashboard does not start)."""


@dataclass(frozen=True)
class Editors:
    emails: frozenset[str]
    require_verified_email: bool = True

    def allows(self, user: Mapping[str, Any]) -> bool:
        """A signed-in account with a (verified) e-mail address on the list."""
        email = user.get("email")
        if not user.get("is_logged_in") or not isinstance(email, str):
            return False
        verified = user.get("email_verified")
        if self.require_verified_email and not (
            verified is True or str(verified).strip().lower() == "true"
        ):
            return False
        return email.strip().lower() in self.emails


NOBODY = Editors(frozenset())


def _fail(problem: str) -> EditorConfigError:
    return EditorConfigError(f"secrets.toml, Abschnitt [{SECTION}]: {problem}")


def editors_from_secrets(secrets: Mapping[str, Any]) -> Editors:
    """The allow-list of a secrets mapping; ``NOBODY`` without a section.

    Raises ``EditorConfigError`` for a malformed one.
    """
    if SECTION not in secrets:
        near = [
            str(k) for k in secrets if difflib.get_close_matches(str(k).lower(), [SECTION], 1, 0.7)
        ]
        if near:
            raise _fail(f"fehlt, aber [{near[0]}] ist vorhanden (Schreibfehler?)")
        return NOBODY
    section = secrets[SECTION]
    if not isinstance(section, Mapping):
        raise _fail("erwartet einen Abschnitt mit emails = [...]")
    unknown = [str(k) for k in section if k not in KEYS]
    if unknown:
        raise _fail(f"unbekannter Schlüssel '{unknown[0]}' (erwartet: {', '.join(KEYS)})")
    emails = section.get("emails")
    if not isinstance(emails, list | tuple) or not emails:
        raise _fail("emails fehlt oder ist leer (erwartet eine Liste von E-Mail-Adressen)")
    for email in emails:
        if not isinstance(email, str) or not _EMAIL.fullmatch(email.strip()):
            raise _fail(f"emails: '{str(email)[:60]}' ist keine E-Mail-Adresse")
    verified = section.get("require_verified_email", True)
    if not isinstance(verified, bool):
        raise _fail("require_verified_email: erwartet true oder false")
    return Editors(frozenset(e.strip().lower() for e in emails), verified)
