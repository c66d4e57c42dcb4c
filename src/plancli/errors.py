"""Errors a user can cause. The command line prints `str(error)` as one line
on stderr and exits with `exit_code`; nothing else reaches the user."""
from __future__ import annotations

EXIT_OK = 0
EXIT_BAD_DOCUMENT = 1  # the input was read but is not a usable document
EXIT_USAGE = 2         # the command was called wrongly: no such file, bad option
EXIT_OUTPUT = 3        # the output could not be written: unwritable folder, disk full, closed stdout
EXIT_BUSY = 4          # batch: another run is writing the same output
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_TERMINATED = 143   # SIGTERM (timeout, systemd, docker stop): 128 + 15


class PlancliError(Exception):
    exit_code = EXIT_BAD_DOCUMENT


class InputError(PlancliError):
    """The input cannot be read as a document: empty, binary, undecodable."""


class UsageError(PlancliError):
    """The user asked for something that does not exist."""

    exit_code = EXIT_USAGE


class OutputError(PlancliError):
    """The output cannot be written: a folder without write permission, a
    full disk, a closed standard output. The message names the user's file
    (a batch output is left as it was)."""

    exit_code = EXIT_OUTPUT


class BusyError(PlancliError):
    """Another plancli run holds the lock on the same batch output."""

    exit_code = EXIT_BUSY


class MissingExtra(UsageError):
    """A command needs an optional part of plancli that is not installed
    (pip install 'plancli[dask]')."""


def require_extra(extra: str, module: str, needed_by: str) -> None:
    """Import `module` or fail with one line naming the extra that brings it:
    "--engine dask needs plancli's dask extra: pip install 'plancli[dask]'"."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{needed_by} needs plancli's {extra} extra, which is not installed: "
                           f"pip install 'plancli[{extra}]'") from None
