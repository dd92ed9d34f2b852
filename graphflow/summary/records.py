"""TFRecord framing, the container of TensorBoard's event files.

Each record is ``length`` (uint64, little-endian), the masked CRC32C of those 8 bytes, the
data, and the masked CRC32C of the data (both uint32, little-endian). A reader that meets a
truncated or corrupt record keeps every record before it.
"""

from __future__ import annotations

import struct

try:
    from crc32c import crc32c
except ImportError:  # the optional accelerated package is absent: compute it in Python
    crc32c = None


def _crc32c_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1  # Castagnoli, reflected
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def crc32c_python(data: bytes) -> int:
    """CRC-32C (Castagnoli) of ``data``, table-driven: the fallback when ``crc32c`` is not
    installed."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


if crc32c is None:
    crc32c = crc32c_python


def masked_crc32c(data: bytes) -> int:
    """The CRC32C of ``data``, rotated and offset as TFRecord stores it."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frame(data: bytes) -> bytes:
    """``data`` as one TFRecord."""
    header = struct.pack("<Q", len(data))
    return (header + struct.pack("<I", masked_crc32c(header)) + data
            + struct.pack("<I", masked_crc32c(data)))
