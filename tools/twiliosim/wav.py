"""Deterministic WAV recordings: a short tone whose bytes depend on the call."""
import hashlib
import math
import struct

RATE = 8000


def recording(call_sid, seconds=2.0):
    """A mono 16-bit PCM WAV of `seconds`, its pitch derived from `call_sid`."""
    pitch = 300 + int(hashlib.sha256(call_sid.encode()).hexdigest()[:4], 16) % 500
    frames = int(RATE * seconds)
    samples = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * pitch * n / RATE))) for n in range(frames)
    )
    header = b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
    header += b"data" + struct.pack("<I", len(samples))
    return header + samples
