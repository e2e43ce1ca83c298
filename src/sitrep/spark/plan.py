"""Cutting a Spark run into tasks, on the driver: inputs (files and folders) become pieces, and the pieces are
grouped into as many tasks as asked, in input order, each holding about as many bytes of articles.

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


def _file_weight(path: str) -> int:
    """A whole file's share of the work: its size (a file that cannot be read weighs one: its worker reports it)."""
    try:
        return max(1, os.path.getsize(path))
    except OSError:
        return 1


def plan_tasks(paths: Iterable[str], n_tasks: int) -> list[list[Piece]]:
    """The pieces of every input grouped into `n_tasks` tasks (fewer when there are fewer articles) of about equal
    size in bytes, in input order. An article's extraction time follows the length of its text far more than the
    count of articles (on the dev sets, tasks of equal article counts held 13,000 to 236,000 characters and took
    6 to 108 s under load): equal bytes give equal work, so the cores finish together. A JSONL line weighs its
    bytes, any other file its size. A file that cannot be read stays whole: its worker reports it, as `sitrep
    extract` would."""
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
    weights = [_file_weight(path) if starts is None else starts[-1] for path, starts in items]
    n_articles = sum(1 if starts is None else len(starts) - 1 for _path, starts in items)
    return _group(items, weights, max(1, min(n_tasks, n_articles)))


def _group(items: list[tuple[str, Optional[list[int]]]], weights: list[int], n: int) -> list[list[Piece]]:
    """Cut the inputs, in order, into at most n tasks: each task ends at the article boundary nearest to an equal
    share of the bytes not yet given to a task (recomputed per task, so one huge article does not leave the
    next tasks empty)."""
    remaining = sum(weights)
    tasks: list[list[Piece]] = []
    current: list[Piece] = []
    held = 0                    # bytes in the current task

    def share() -> float:
        return remaining / (n - len(tasks))

    def close() -> None:
        nonlocal current, held, remaining
        tasks.append(current)
        remaining -= held
        current, held = [], 0

    for (path, starts), weight in zip(items, weights):
        if starts is None:
            if current and len(tasks) < n - 1 and held + weight - share() > share() - held:
                close()         # the boundary before this file is nearer to an equal share than the one after
            current.append(Piece(path))
            held += weight
            if len(tasks) < n - 1 and held >= share():
                close()
            continue
        first = 0               # the first line of this file not yet in a piece
        for line in range(len(starts) - 1):
            size = starts[line + 1] - starts[line]
            if len(tasks) < n - 1 and (current or line > first) and held + size - share() > share() - held:
                if line > first:
                    current.append(Piece(path, starts[first], starts[line], first + 1))
                    first = line
                close()
            held += size
            if len(tasks) < n - 1 and held >= share():
                current.append(Piece(path, starts[first], starts[line + 1], first + 1))
                first = line + 1
                close()
        if first < len(starts) - 1:
            current.append(Piece(path, starts[first], starts[-1], first + 1))
    if current:
        tasks.append(current)
    return tasks
