"""Errors a user can cause. The command line prints `str(error)` as one line
on stderr and exits with `exit_code`; nothing else reaches the user.

From Python the same faults are also the standard exceptions a caller
expects: a missing file is a FileNotFoundError, a folder an
IsADirectoryError, a file without read permission a PermissionError, and a
file that is no usable document (empty, binary, undecodable, a corrupt .docx)
a ValueError; a bad argument (max_bytes=0) a ValueError, an unknown encoding
a LookupError. Each is a PlancliError as well, so the exit code stays."""
from __future__ import annotations

import errno as _errno
import os

EXIT_OK = 0
EXIT_BAD_DOCUMENT = 1  # the input was read but is not a usable document
EXIT_USAGE = 2         # the command was called wrongly: no such file, bad option
EXIT_OUTPUT = 3        # the output could not be written: unwritable folder, disk full, closed stdout
EXIT_BUSY = 4          # batch: another run is writing the same output
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_TERMINATED = 143   # SIGTERM (timeout, systemd, docker stop): 128 + 15


class PlancliError(Exception):
    exit_code = EXIT_BAD_DOCUMENT


class InputError(PlancliError, ValueError):
    """The input cannot be read as a document: empty, binary, undecodable."""


class UsageError(PlancliError):
    """The user asked for something that does not exist."""

    exit_code = EXIT_USAGE


class BadValueError(UsageError, ValueError):
    """An argument with a value plancli cannot use: max_bytes=0, an unknown
    input format, $PLANCLI_MAX_BYTES=lots (exit 2)."""


class UnknownEncodingError(UsageError, LookupError):
    """An encoding Python does not know, as codecs.lookup says (exit 2)."""


class OutputError(PlancliError):
    """The output cannot be written: a folder without write permission, a
    full disk, a closed standard output. The message names the user's file
    (a batch output is left as it was)."""

    exit_code = EXIT_OUTPUT


class BusyError(PlancliError):
    """Another plancli run holds the lock on the same batch output."""

    exit_code = EXIT_BUSY


class _FileFault(OSError):
    """An OSError with the standard errno and filename whose text is plancli's
    one line ("report.txt: no such file"), not "[Errno 2] …"."""

    code = _errno.EIO

    def __init__(self, message: str, filename: str | os.PathLike | None = None, code: int | None = None):
        code = self.code if code is None else code
        super().__init__(code, os.strerror(code), os.fspath(filename) if filename is not None else None)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # pickled across a process pool, with its text
        return type(self), (self.message, self.filename, self.errno)


class NoSuchFileError(_FileFault, UsageError, FileNotFoundError):
    """An input named that does not exist (exit 2)."""

    code = _errno.ENOENT


class IsADirectoryInputError(_FileFault, UsageError, IsADirectoryError):
    """A folder named where a document is wanted (exit 2)."""

    code = _errno.EISDIR


class NoPermissionError(_FileFault, PlancliError, PermissionError):
    """An input plancli may not read (exit 1)."""

    code = _errno.EACCES


class UnreadableError(_FileFault, PlancliError):
    """An input that fails while being read: an I/O error (exit 1)."""


def read_failure(path: str | os.PathLike, error: OSError) -> PlancliError:
    """The error to raise when reading `path` failed with `error`: "x.txt:
    cannot read: Permission denied", as the standard exception it is."""
    message = f"{path}: cannot read: {error.strerror or error}"
    if isinstance(error, PermissionError):
        return NoPermissionError(message, path, error.errno)
    if isinstance(error, FileNotFoundError):
        return NoSuchFileError(f"{path}: no such file", path)
    if isinstance(error, IsADirectoryError):
        return IsADirectoryInputError(f"{path}: is a directory; give a file", path)
    return UnreadableError(message, path, error.errno)

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
