"""The server gives freed memory back to the system (connector_graph.memory), checked in fresh processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from connector_graph import memory

ROOT = Path(__file__).resolve().parents[1]

#: What a long-running server does: a large block freed (glibc then maps only blocks larger than it), then
#: drawings' worth of large blocks interleaved with small ones that stay; the large ones are freed.
PATTERN = textwrap.dedent("""
    import sys
    from connector_graph.memory import keep_memory_settled

    def rss_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

    if sys.argv[1] == "settled":
        assert keep_memory_settled()
    big = bytearray(16 << 20)
    del big
    start = rss_mb()
    blocks, kept = [], []
    for _ in range(200):
        blocks.append(bytearray(600_000))
        kept.append(bytearray(2_000))
    del blocks
    print(rss_mb() - start)
""")


def _retained_mb(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", PATTERN, mode], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout)


@pytest.mark.skipif(memory._libc() is None, reason="the C library has no malloc_trim/mallopt (not glibc)")
def test_freed_large_blocks_go_back_to_the_system_once_settled():
    held = _retained_mb("default")  # the allocator as it comes keeps the 120 MB it was given
    settled = _retained_mb("settled")
    assert held > 60, f"the default allocator gave back what this pattern should keep ({held:.0f} MB held)"
    assert settled < 20, f"{settled:.0f} MB still held after the large blocks were freed"


def test_settling_twice_starts_one_thread_and_giving_back_is_harmless():
    import threading

    memory.keep_memory_settled()
    memory.keep_memory_settled()
    assert [t.name for t in threading.enumerate()].count("connector-graph-give-back") <= 1
    assert memory.give_back() is (memory._libc() is not None)
