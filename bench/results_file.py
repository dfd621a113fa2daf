"""Where every benchmark writes its markdown table: standard output and ``bench/results/``."""

from __future__ import annotations

from pathlib import Path
from typing import Callable


def publish(text: str, out: str | Path, name: str, log: Callable[[str], None]) -> Path:
    """Print ``text`` and write it to ``out/name`` (the folder is made when missing); return the file."""
    print(text)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    log(f"written to {path}")
    return path
