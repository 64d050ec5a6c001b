"""WAV files: the deterministic recordings the simulator serves (a short tone
whose bytes depend on the call), and the check of those the product has it play."""
import array
import functools
import hashlib
import io
import math
import struct
import sys
import wave

RATE = 8000


def recording(call_sid, seconds=2.0):
    """A mono 16-bit PCM WAV of `seconds`, its pitch derived from `call_sid`."""
    pitch = 300 + int(hashlib.sha256(call_sid.encode()).hexdigest()[:4], 16) % 500
    return tone(pitch, int(RATE * seconds))


@functools.lru_cache(maxsize=1024)
def tone(pitch, frames):
    """Calls share the few hundred pitches: a file is built once per pitch and length
    (and calls with the same pitch share its bytes)."""
    return wav_file(second_of_tone(pitch) * (frames // RATE + 1), frames)


def second_of_tone(pitch):
    # An integral pitch repeats every second: sample n is the sine table at pitch * n mod RATE.
    table = sine_table()
    return bytes(array_le([table[pitch * n % RATE] for n in range(RATE)]))


@functools.lru_cache(maxsize=1)
def sine_table():
    return [int(8000 * math.sin(2 * math.pi * k / RATE)) for k in range(RATE)]


def array_le(values):
    samples = array.array("h", values)
    if sys.byteorder != "little":
        samples.byteswap()
    return samples


def wav_file(pcm, frames):
    samples = pcm[:frames * 2]
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
