"""What every command shares: exit codes, the usage error, printing a problem."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool in that case


class UsageError(Exception):
    """Wrong use of the command (exit code 2)."""


def print_err(text: str) -> None:
    print(text, file=sys.stderr)
