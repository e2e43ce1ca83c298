"""Shared by the writers: where output goes, CSV rows, and turning OS failures into ExportError."""
from __future__ import annotations

import contextlib
import csv
import errno
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator, Optional

from ..errors import ExportError
from ..output import csv_cell


def os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (read-only location)"
    return exc.strerror or str(exc)


def write_csv_rows(rows: list[dict], columns: tuple[str, ...], out: IO) -> int:
    """A header and one CSV line per row (cells made spreadsheet-safe by output.csv_cell); returns the number
    of rows."""
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return len(rows)


@contextlib.contextmanager
def text_output(path: Optional[str], stream: Optional[IO] = None) -> Iterator[IO]:
    """A text handle on `path` ('-' or None: `stream`, default stdout); write failures become ExportError.

    A file is written to a new temporary file next to its final name and renamed over it at the end, so a
    failed export leaves no half file. The temporary name is unpredictable and created exclusively (mkstemp),
    so a symlink planted in the directory cannot redirect the write.
    """
    if not path or path == "-":
        out = stream or sys.stdout
        try:
            yield out
            out.flush()
        except OSError as exc:
            raise ExportError(f"cannot write the export: {os_reason(exc)}") from None
        return
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{path} is a directory; give a file name")
    if target.exists() and not target.is_file() or not target.parent.exists():
        # A device (/dev/null) or a missing directory: write straight to it, or fail with the OS's reason.
        with _open_for_writing(target, path) as fh:
            yield fh
        return
    with temp_beside(target) as tmp:
        with _open_for_writing(tmp, path) as fh:
            yield fh


@contextlib.contextmanager
def _open_for_writing(where: Path, shown: str) -> Iterator[IO]:
    """A text handle on `where`; failing to open or to write it is an ExportError naming `shown`."""
    try:
        fh = open(where, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ExportError(f"cannot write {shown}: {os_reason(exc)}") from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        raise ExportError(f"cannot write {shown}: {os_reason(exc)}") from None


@contextlib.contextmanager
def temp_beside(target: Path) -> Iterator[Path]:
    """A fresh temporary file in `target`'s directory, moved over `target` (os.replace) when the block ends
    without error and removed otherwise."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {os_reason(exc)}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ExportError(f"cannot write {target}: {os_reason(exc)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
