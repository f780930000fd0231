"""argparse in German: its own words ("usage:", "error:", "show this help message and
exit", "the following arguments are required") are English, while every help text of
the ``dortmund-kpi`` command is German.

argparse words its messages through the module's ``_`` and ``ngettext`` (gettext), looked
up when a parser is built, formats its help or parses. ``GermanParser`` swaps in the German
words for exactly those calls and puts argparse's own back afterwards, so no other parser
of the process (pytest's, a library's) speaks German. A message argparse adds in a later
Python version and not listed here stays English: wrong in language, never in content.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Iterator
from typing import Any, NoReturn

# argparse's message ids (Python 3.11 to 3.13) -> German. Placeholders stay as they are.
WORDS = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "argument %(argument_name)s: %(message)s": "Angabe %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ungültige Wahl: %(value)r (möglich: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ungültiger Wert (%(type)s): %(value)r",
    "expected one argument": "erwartet einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "expected %s argument": "erwartet %s Wert",
    "expected %s arguments": "erwartet %s Werte",
    "ambiguous option: %(option)s could match %(matches)s": (
        "mehrdeutige Option: %(option)s passt zu %(matches)s"
    ),
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "one of the arguments %s is required": "eine dieser Angaben ist nötig: %s",
    "ignored explicit argument %r": "Wert %r wird nicht erwartet",
    "can't open '%(filename)s': %(error)s": "„%(filename)s“ nicht lesbar: %(error)s",
}


def _german(text: str) -> str:
    return WORDS.get(text, text)


def _german_plural(one: str, many: str, n: int) -> str:
    return _german(one if n == 1 else many)


# One thread at a time swaps argparse's module globals: two threads interleaving their
# save and restore would leave German in place for good. Reentrant: a parser's methods
# call each other (parse_args -> parse_known_args -> error), each restoring what it saved.
_SWAP = threading.RLock()


@contextlib.contextmanager
def german() -> Iterator[None]:
    """argparse's own words in German for the duration of the block."""
    with _SWAP:
        saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
        argparse._, argparse.ngettext = _german, _german_plural  # type: ignore[attr-defined]
        try:
            yield
        finally:
            argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class GermanParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help and errors are German (its subcommands' too:
    ``add_subparsers`` makes them of the parser's own class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with german():  # the help option's text and the groups' titles are set here
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:  # words "unrecognized arguments"
        with german():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with german():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with german():
            return super().format_usage()

    def format_help(self) -> str:
        with german():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with german():
            super().error(message)
        raise AssertionError("unreachable: ArgumentParser.error exits")


def whole_number(text: str) -> int:
    """An option's whole number (``type=``): argparse would say "invalid int value"."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"keine ganze Zahl: {text!r}") from None


def path_text(text: str) -> str:
    """A path option's text (``type=``): an empty one is refused, not taken as "here"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("leerer Pfad")
    return text
