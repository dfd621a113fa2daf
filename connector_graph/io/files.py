"""Opening import files with one clear message for each way it can go wrong."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from ..errors import InvalidInput

__all__ = ["require_file", "require_folder", "read_csv_rows", "prepare_output", "CsvTable"]


def require_file(path: Path | str, what: str = "file") -> Path:
    """``path`` as a Path, or ``InvalidInput`` if it is not an existing file."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"no such {what}: {path}")
    if not path.is_file():
        raise InvalidInput(f"{path} is a folder, not a {what}")
    return path


def require_folder(path: Path | str, what: str = "folder") -> Path:
    """``path`` as a Path, or ``InvalidInput`` if it is not an existing folder."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"no such {what}: {path}")
    if not path.is_dir():
        raise InvalidInput(f"{path} is a file, not a {what}")
    return path


def prepare_output(path: Path | str, *, folder: bool = False) -> Path:
    """Make sure ``path`` can be written: its parent exists, and a folder output is a folder."""
    path = Path(path)
    if folder:
        if path.exists() and not path.is_dir():
            raise InvalidInput(f"{path} is a file; give a folder to write the CSV files into")
        path.mkdir(parents=True, exist_ok=True)
        return path
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name to write")
    if not path.parent.exists():
        raise InvalidInput(f"the folder {path.parent} does not exist")
    return path


class CsvTable:
    """A CSV file read as a header and rows of text, with the line number of each row."""

    def __init__(self, name: str, header: list[str], rows: list[tuple[int, dict[str, str]]]) -> None:
        self.name = name
        self.header = header
        self.rows = rows

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_csv_rows(path: Path) -> CsvTable:
    """Read a UTF-8 (optionally BOM-marked) CSV file; blank rows are skipped.

    Header names are trimmed. Raises ``InvalidInput`` for a file that is not
    UTF-8 text, has no header, or repeats a column name.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text (save it as 'CSV UTF-8'): {exc.reason}") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
        while not any(header):  # blank lines before the header (Gephi skips them too)
            header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InvalidInput(f"{path.name} is empty; it needs a header row") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} is not a readable CSV file: {exc}") from None
    seen: set[str] = set()
    for name in header:
        if name and name.casefold() in seen:
            raise InvalidInput(f"{path.name} has the column {name!r} twice")
        seen.add(name.casefold())
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                extra = [v for v in values[len(header):] if v.strip()]
                if extra:
                    raise InvalidInput(
                        f"{path.name} line {reader.line_num} has more cells than the header has columns"
                    )
            rows.append((reader.line_num, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}))
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} line {reader.line_num} cannot be read: {exc}") from None
    return CsvTable(path.name, [h for h in header if h], rows)
