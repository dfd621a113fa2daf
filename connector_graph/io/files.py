"""Reading and writing files safely, with one clear message for each way it can go wrong.

Reading: only regular files are read (a FIFO would hang, a device never
ends), and :func:`require_file` says so in one line.

Writing (exports, backups, templates, subject access reports) goes through
:func:`safe_output`, :func:`safe_output_path` or :func:`safe_output_folder`:

- the data goes to a temporary file created exclusively (``O_EXCL``,
  ``O_NOFOLLOW``, mode 0600) in the target's own folder, so a planted
  symbolic link or a file left by someone else is never written through;
- the file is flushed to disk (``fsync``) and renamed over the target, so a
  reader sees the old file or the whole new one, never half of it;
- on any failure (a full disk, an interrupted run) the temporary file is
  removed: nothing is left behind;
- an existing target is replaced only inside :func:`overwriting` (the CLI's
  ``--force``), and only if it is a regular file (never a device, a FIFO or
  a symbolic link).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import secrets
import shutil
import stat
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Iterator

from ..errors import InvalidInput

__all__ = [
    "require_file",
    "require_folder",
    "read_csv_rows",
    "prepare_output",
    "CsvTable",
    "load_json",
    "MAX_UNCOMPRESSED",
    "MAX_NESTING",
    "overwriting",
    "check_target",
    "safe_output",
    "safe_output_path",
    "safe_output_folder",
]

_OVERWRITE: ContextVar[bool] = ContextVar("connector_graph_overwrite", default=False)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


#: The most a zip container (an XLSX workbook) may unpack to, and how many members it may hold.
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_MEMBERS = 10_000
#: The deepest nesting of JSON arrays and objects, or XML elements, an import may have.
MAX_NESTING = 64


def require_file(path: Path | str, what: str = "file") -> Path:
    """``path`` as a Path, or ``InvalidInput`` if it is not an existing regular file or is a bomb.

    A zip container (XLSX) must not unpack to more than :data:`MAX_UNCOMPRESSED`
    bytes; an XML file must not nest deeper than :data:`MAX_NESTING`.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InvalidInput(f"no such {what}: {path}") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{path} is {_kind(info.st_mode)}, not a {what}")
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    if head.startswith(b"PK\x03\x04"):
        _check_zip(path)
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        _check_xml_depth(path)
    return path


def _check_zip(path: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader says what is wrong with it
    if len(members) > MAX_MEMBERS:
        raise InvalidInput(f"{path.name} holds {len(members):,} files; at most {MAX_MEMBERS:,} are read")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise InvalidInput(
            f"{path.name} would unpack to {total / 1e6:,.0f} MB, more than the {MAX_UNCOMPRESSED / 1e6:,.0f} MB "
            "an import may; it is not an ordinary workbook"
        )


def _check_xml_depth(path: Path) -> None:
    import xml.etree.ElementTree as ET

    depth = 0
    try:
        for event, _element in ET.iterparse(path, events=("start", "end")):
            depth += 1 if event == "start" else -1
            if depth > MAX_NESTING:
                raise InvalidInput(f"{path.name} nests elements more than {MAX_NESTING} deep; it is not an ordinary file")
    except ET.ParseError:
        return  # the reader says what is wrong with it


def load_json(path: Path, what: str = "file") -> object:
    """Decode a UTF-8 JSON file, refusing nesting deeper than :data:`MAX_NESTING` with one line.

    Raises ``InvalidInput`` for text that is not UTF-8 or not JSON.
    """
    import json

    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not a {what} (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path.name} is not valid JSON (line {exc.lineno}: {exc.msg}); is the file complete?") from None
    except RecursionError:
        raise InvalidInput(f"{path.name} nests more than {MAX_NESTING} deep; it is not an ordinary {what}") from None
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise InvalidInput(f"{path.name} nests more than {MAX_NESTING} deep; it is not an ordinary {what}")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))
    return document


@contextlib.contextmanager
def overwriting(force: bool = True) -> Iterator[None]:
    """Within this block, safe writes may replace an existing regular file (``--force``)."""
    token = _OVERWRITE.set(force)
    try:
        yield
    finally:
        _OVERWRITE.reset(token)


def check_target(path: Path | str) -> Path:
    """``path`` if a file may be written there now; otherwise one-line ``InvalidInput``.

    Its folder must exist; an existing target must be a regular file (not a
    link, device, FIFO or folder) and is replaced only inside :func:`overwriting`.
    """
    path = Path(path)
    if not path.name or path.name in (".", ".."):
        raise InvalidInput(f"{path} is not a file name")
    if not path.parent.is_dir():
        raise InvalidInput(f"the folder {path.parent} does not exist")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{path} is {_kind(info.st_mode)}; only regular files are written")
    if not _OVERWRITE.get():
        raise InvalidInput(f"{path} already exists; add --force to overwrite it")
    return path


def _temporary(parent: Path, name: str) -> tuple[int, Path]:
    for _ in range(100):
        tmp = parent / f".{name}.{secrets.token_hex(6)}.partial"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
            return fd, tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise InvalidInput(f"cannot write in {parent}: {exc.strerror}") from None
    raise InvalidInput(f"cannot create a temporary file in {parent}")


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _finish(tmp: Path, path: Path) -> None:
    check_target(path)  # again: something may have appeared meanwhile
    fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _fsync_folder(path.parent)


def _failed(exc: BaseException, path: Path) -> BaseException:
    if isinstance(exc, OSError):
        return InvalidInput(f"cannot write {path}: {exc.strerror or exc}; nothing was written")
    return exc


@contextlib.contextmanager
def safe_output_path(path: Path | str) -> Iterator[Path]:
    """A private temporary file to write; renamed to ``path`` when the block ends without error."""
    path = check_target(path)
    fd, tmp = _temporary(path.parent, path.name)
    os.close(fd)
    try:
        yield tmp
        _finish(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        failure = _failed(exc, path)
        if failure is exc:
            raise
        raise failure from None


@contextlib.contextmanager
def safe_output(path: Path | str, *, binary: bool = False) -> Iterator[IO]:
    """An open file (UTF-8 text, or bytes) whose content replaces ``path`` only when all of it was written."""
    with safe_output_path(path) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW)
        handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            yield handle


@contextlib.contextmanager
def safe_output_folder(folder: Path | str) -> Iterator[Path]:
    """A private temporary folder to fill; its files are moved into ``folder`` when the block succeeds.

    ``folder`` is made if needed. A file already there is replaced only
    inside :func:`overwriting`; if any would be, nothing is moved.
    """
    folder = Path(folder)
    if os.path.lexists(folder):
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            raise InvalidInput(f"{folder} is {_kind(info.st_mode)}; give a folder to write the files into")
        parent = folder
    else:
        if not folder.parent.is_dir():
            raise InvalidInput(f"the folder {folder.parent} does not exist")
        parent = folder.parent
    tmp = parent / f".{folder.name}.{secrets.token_hex(6)}.partial"
    try:
        tmp.mkdir(mode=0o700)
    except OSError as exc:
        raise InvalidInput(f"cannot write in {parent}: {exc.strerror}") from None
    try:
        yield tmp
        made = sorted(tmp.iterdir())
        if not folder.exists():
            folder.mkdir(mode=0o700)
        for item in made:
            check_target(folder / item.name)
        for item in made:
            os.chmod(item, 0o600)
            fd = os.open(item, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(item, folder / item.name)
        _fsync_folder(folder)
    except BaseException as exc:
        failure = _failed(exc, folder)
        if failure is exc:
            raise
        raise failure from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
