"""Fast lossless PNG encoding for probe images.

Probe images are mostly flat backgrounds. With PNG's "Up" filter every row that repeats the row above
becomes a filter byte followed by zeros. Deflating those zero rows is most of zlib's work, so runs of
them are not compressed again and again: the raw-deflate bytes for 1, 2, 4, ... zero rows of a given
width are compressed once, cached, and spliced between the freshly compressed non-trivial rows.
Splicing is valid DEFLATE because every piece ends on a byte boundary with a non-final sync block and
only refers back into its own data; the zlib Adler-32 checksum is combined piece by piece. The result
is a standard PNG (8-bit RGB or grey, no interlace) that every decoder reads back bit-exactly.
"""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

import numpy as np
from zlib_ng import zlib_ng

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UP_FILTER = 2
SUB_FILTER = 1
_ADLER_BASE = 65521
_ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KiB window, "fastest" level hint
_FINAL_EMPTY_BLOCK = b"\x03\x00"  # BFINAL=1, fixed Huffman, end-of-block


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def _adler32_combine(adler1: int, adler2: int, len2: int) -> int:
    """Adler-32 of A+B from adler(A), adler(B) and len(B) (zlib's adler32_combine, in Python)."""
    rem = len2 % _ADLER_BASE
    sum1 = adler1 & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (adler2 & 0xFFFF) + _ADLER_BASE - 1
    sum2 += ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + _ADLER_BASE - rem
    sum1 %= _ADLER_BASE
    sum2 %= _ADLER_BASE
    return sum1 | (sum2 << 16)


def _raw_deflate(data: bytes, level: int) -> bytes:
    """Byte-aligned, non-final raw DEFLATE blocks for `data` (Z_SYNC_FLUSH).

    zlib-ng (pinned) at level 2 is ~2x zlib level 1 on textured probes and compresses them smaller. Its output
    is a function of the input alone (ISA-L's, ~2x faster still, was not: the same pixels came out as
    different bytes depending on what the process had compressed before).
    """
    c = zlib_ng.compressobj(level, zlib_ng.DEFLATED, -15, 9)
    return c.compress(data) + c.flush(zlib_ng.Z_SYNC_FLUSH)


@lru_cache(maxsize=256)
def _zero_rows(row_bytes: int, n_rows: int, level: int) -> tuple[bytes, int]:
    """Compressed bytes and Adler-32 of n_rows Up-filtered rows that equal the row above."""
    data = (bytes([UP_FILTER]) + bytes(row_bytes)) * n_rows
    return _raw_deflate(data, level), zlib.adler32(data)


def encode_png(image: np.ndarray, level: int = 2) -> bytes:
    """Encode an HxWx3 (RGB) or HxW (grey) uint8 array as PNG."""
    if image.dtype != np.uint8:
        raise ValueError(f"PNG encoder expects uint8 pixels, got {image.dtype}")
    if image.ndim == 2:
        colour_type, channels = 0, 1
    elif image.ndim == 3 and image.shape[2] == 3:
        colour_type, channels = 2, 3
    else:
        raise ValueError(f"PNG encoder expects HxW or HxWx3 pixels, got shape {image.shape}")
    h, w = image.shape[:2]
    if h == 0 or w == 0:
        raise ValueError(f"PNG encoder expects a non-empty image, got shape {image.shape}")
    row_bytes = w * channels
    rows = np.ascontiguousarray(image).reshape(h, row_bytes)
    filtered = np.empty((h, row_bytes + 1), dtype=np.uint8)
    filtered[:, 0] = UP_FILTER
    filtered[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # uint8 wraps modulo 256, as PNG requires
    # Row 0 is never a "repeat"; a row is a repeat when its filtered bytes are all zero.
    repeat = np.zeros(h, dtype=bool)
    repeat[1:] = ~filtered[1:, 1:].any(axis=1)
    pieces: list[bytes] = [_ZLIB_HEADER]
    adler = 1
    edges = np.flatnonzero(np.diff(repeat.view(np.int8))) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [h]))
    for start, end in zip(starts.tolist(), ends.tolist()):
        if repeat[start]:
            n = end - start
            bit = 1
            while n:  # binary decomposition keeps the cache to log2(h) entries per width
                if n & bit:
                    data, piece_adler = _zero_rows(row_bytes, bit, level)
                    pieces.append(data)
                    adler = _adler32_combine(adler, piece_adler, bit * (row_bytes + 1))
                    n -= bit
                bit <<= 1
        else:
            block = filtered[start:end].tobytes()
            pieces.append(_raw_deflate(block, level))
            adler = _adler32_combine(adler, zlib.adler32(block), len(block))
    pieces.append(_FINAL_EMPTY_BLOCK)
    pieces.append(struct.pack(">I", adler))
    header = struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0)
    return b"".join((_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"IDAT", b"".join(pieces)), _chunk(b"IEND", b"")))


def decode_png_fast(data: bytes) -> np.ndarray | None:
    """Decode the PNGs this module writes (8-bit RGB/grey, no interlace, every row Up-filtered) with numpy.

    Returns None for anything else (other filters, palettes, 16-bit, interlaced, ancillary chunks), so the
    caller falls back to a general decoder. Raises ValueError on a damaged stream.
    """
    if not data.startswith(_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    w, h, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if depth != 8 or interlace != 0 or colour_type not in (0, 2):
        return None
    channels = 3 if colour_type == 2 else 1
    idat, pos, ended = [], 8, False
    while pos + 8 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        tag = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError(f"chunk {tag!r} is truncated")
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(data[pos + 4 : end - 4]) & 0xFFFFFFFF != crc:
            raise ValueError(f"chunk {tag!r} fails its CRC check")
        if tag == b"IDAT":
            idat.append(data[pos + 8 : end - 4])
        elif tag == b"IEND":
            ended = True
            break
        elif tag != b"IHDR":
            return None
        pos = end
    if not ended:
        raise ValueError("the image ends before its IEND chunk (truncated)")
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as exc:
        raise ValueError(f"damaged image data ({exc})") from None
    stride = w * channels + 1
    if len(raw) != h * stride:
        raise ValueError(f"image data holds {len(raw)} bytes, expected {h * stride}")
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(h, stride)
    if (rows[:, 0] != UP_FILTER).any():
        return None
    # Undo Up (running sum down each column, modulo 256): all-zero rows repeat the row above, so only
    # the rows that change are summed and the rest are copied.
    diffs = rows[:, 1:]
    changed = np.flatnonzero(diffs.any(axis=1))
    if len(changed) == 0 or changed[0] != 0:
        changed = np.concatenate(([0], changed))
    summed = np.cumsum(diffs[changed], axis=0, dtype=np.uint8)
    pixels = summed[np.searchsorted(changed, np.arange(h), side="right") - 1]
    return pixels.reshape(h, w, channels) if channels == 3 else pixels
