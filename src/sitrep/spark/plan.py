"""Cutting a Spark run into tasks, on the driver: inputs (files and folders) become pieces, and the pieces are
grouped into as many tasks as asked, in input order, each holding as many articles (to one).

A JSONL file is cut at line ends into byte ranges that the worker reads where the file lies (the driver reads it
once to find the line ends; nothing but the ranges is sent to the workers). Any other file is one piece, read by
its worker exactly as `sitrep extract` reads it. Inputs must therefore be on a file system every worker sees.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from ..errors import InputError
from ..ingest.readers import HTML_SUFFIXES, is_jsonl_input, read_input

# What a folder given as input contributes: the files `sitrep extract` reads, found at any depth.
INPUT_SUFFIXES = frozenset({".txt", ".text", ".jsonl", ".ndjson"} | HTML_SUFFIXES)
PLAIN_SUFFIXES = frozenset({".txt", ".text"} | HTML_SUFFIXES)   # never JSONL: no need to open them here


@dataclass(frozen=True)
class Piece:
    """A whole input file (`end` None), or the lines in bytes [start, end) of a UTF-8 JSONL file, the first of
    them line `first_line` of the file."""

    path: str
    start: int = 0
    end: Optional[int] = None
    first_line: int = 1


def expand_inputs(paths: Iterable[str], on_error: Callable[[InputError], None]) -> Iterator[str]:
    """The input files, in order: a folder gives the article files under it, sorted by path."""
    for path in paths:
        if path == "-":
            on_error(InputError("-: sitrep spark reads files that every worker can open; save stdin to a file "
                                "and give its path"))
        elif os.path.isdir(path):
            found = sorted(
                os.path.join(root, name)
                for root, dirs, files in os.walk(path)
                for name in files
                if Path(name).suffix.lower() in INPUT_SUFFIXES and not name.startswith(".")
                and not any(part.startswith(".") for part in Path(os.path.relpath(root, path)).parts if part != ".")
            )
            if not found:
                on_error(InputError(f"{path}: no .txt, .html or .jsonl files in this folder"))
            yield from found
        else:
            yield path


def _line_starts(data: bytes) -> list[int]:
    """Byte offsets at which the lines of `data` begin (lines end at b"\\n" only, as the JSONL reader cuts them),
    followed by len(data)."""
    starts = [0]
    at = data.find(b"\n")
    while at != -1:
        if at + 1 < len(data):
            starts.append(at + 1)
        at = data.find(b"\n", at + 1)
    starts.append(len(data))
    return starts


def _is_utf8(data: bytes, text: str) -> bool:
    """Whether `text` was decoded from `data` as UTF-8 (not UTF-16): then line ends are byte boundaries."""
    try:
        return data.decode("utf-8-sig") == text
    except UnicodeDecodeError:
        return False


def plan_tasks(paths: Iterable[str], n_tasks: int) -> list[list[Piece]]:
    """The pieces of every input grouped into `n_tasks` tasks (fewer when there are fewer articles) whose
    article counts differ by one at most (a JSONL line counts one, any other file one), in input order. A file that cannot be read stays whole: its worker reports
    it, as `sitrep extract` would."""
    items: list[tuple[str, Optional[list[int]]]] = []     # (path, line starts of a JSONL file to cut, or None)
    for path in paths:
        if Path(path).suffix.lower() in PLAIN_SUFFIXES:
            items.append((path, None))
            continue
        try:
            data, text = read_input(path)
        except InputError:
            items.append((path, None))      # its worker reports it, in its place among the inputs
            continue
        if is_jsonl_input(path, text) and _is_utf8(data, text):
            items.append((path, _line_starts(data)))
        else:
            items.append((path, None))
        del data, text
    weight = sum(1 if starts is None else len(starts) - 1 for _path, starts in items)
    n = max(1, min(n_tasks, weight))
    # task k ends once the pieces so far hold bounds[k] articles: n tasks whose sizes differ by one at most
    bounds = [(k + 1) * weight // n for k in range(n)]
    tasks: list[list[Piece]] = []
    current: list[Piece] = []
    done = 0
    for path, starts in items:
        if starts is None:
            current.append(Piece(path))
            done += 1
        else:
            n_lines, line = len(starts) - 1, 0
            while line < n_lines:
                room = bounds[len(tasks)] - done if len(tasks) < n - 1 else n_lines - line
                take = min(room, n_lines - line)
                current.append(Piece(path, starts[line], starts[line + take], line + 1))
                line += take
                done += take
                if len(tasks) < n - 1 and done >= bounds[len(tasks)]:
                    tasks.append(current)
                    current = []
            continue
        if len(tasks) < n - 1 and done >= bounds[len(tasks)]:
            tasks.append(current)
            current = []
    if current:
        tasks.append(current)
    return tasks
