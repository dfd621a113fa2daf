"""The Neo4j driver packs and unpacks Bolt messages with its Rust codec (``neo4j-rust-ext``).

Reads and writes of a whole network go through the codec row by row; its
Rust build makes them about 1.7 times as fast as the driver's pure Python
one (docs/scaling.md). The codec must match the driver's own version.
"""

from __future__ import annotations

from importlib.metadata import version


def test_the_driver_uses_its_rust_codec_of_the_same_version():
    from neo4j._codec.packstream import v1

    assert v1._rust_pack is not None and v1._rust_unpack is not None
    assert version("neo4j-rust-ext").startswith(version("neo4j") + ".")
