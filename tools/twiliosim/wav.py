"""WAV files: the deterministic recordings the simulator serves (a short tone
whose bytes depend on the call), and the check of those the product has it play."""
import hashlib
import io
import math
import struct
import wave

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


class NotPlayable(Exception):
    pass


def describe(data):
    """The facts of a WAV file fetched for <Play> (rate, channels, sample width,
    length), or NotPlayable when it is not a readable PCM RIFF/WAVE file with
    audio. Twilio plays any rate; the tests check for the phone's 8 kHz mono."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise NotPlayable(f"not a RIFF/WAVE file (starts {data[:12]!r})")
    try:
        with wave.open(io.BytesIO(data)) as reader:
            facts = {"sample_rate": reader.getframerate(), "channels": reader.getnchannels(),
                     "sample_width": reader.getsampwidth(), "frames": reader.getnframes()}
    except (wave.Error, EOFError) as error:
        raise NotPlayable(f"unreadable WAV: {error}") from error
    if facts["frames"] == 0:
        raise NotPlayable("no audio")
    facts["duration_seconds"] = round(facts["frames"] / facts["sample_rate"], 3)
    return facts
