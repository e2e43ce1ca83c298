"""Shared by the writers: where output goes, CSV rows, and turning OS failures into ExportError."""
from __future__ import annotations

import contextlib
import csv
import errno
import sys
from pathlib import Path
from typing import IO, Iterator, Optional

from ..errors import ExportError


def os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (read-only location)"
    return exc.strerror or str(exc)


def write_csv_rows(rows: list[dict], columns: tuple[str, ...], out: IO) -> int:
    """A header and one CSV line per row; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


@contextlib.contextmanager
def text_output(path: Optional[str], stream: Optional[IO] = None) -> Iterator[IO]:
    """A text handle on `path` ('-' or None: `stream`, default stdout); write failures become ExportError.

    A file is written next to its final name and renamed at the end, so a failed export leaves no half file.
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
    special = not target.parent.exists() or target.exists() and not target.is_file()
    tmp = target if special else target.with_name(f".{target.name}.part")
    try:
        fh = open(tmp, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {os_reason(exc)}") from None
    try:
        with fh:
            yield fh
        if tmp != target:
            tmp.replace(target)
    except OSError as exc:
        if tmp != target:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise ExportError(f"cannot write {path}: {os_reason(exc)}") from None
    except BaseException:
        if tmp != target:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
