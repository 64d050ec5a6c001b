import Foundation

/// Mono 16-bit PCM audio: what the local speech engine produces and what
/// `<Play>` gets, as a WAV file, at the rate Twilio plays phone audio.
public struct PCMAudio: Sendable, Equatable {
    public var sampleRate: Int
    public var samples: [Int16]

    public init(sampleRate: Int, samples: [Int16]) {
        self.sampleRate = sampleRate
        self.samples = samples
    }

    public enum FormatError: Error, CustomStringConvertible, Equatable {
        case notWAV
        case unsupported(String)

        public var description: String {
            switch self {
            case .notWAV: "not a RIFF/WAVE file"
            case .unsupported(let what): "unsupported WAV: \(what)"
            }
        }
    }

    /// Reads a PCM WAV file (16-bit, any channel count: channels are averaged).
    /// The data chunk may claim more than the file holds (a writer that streamed
    /// it): what is there is read.
    public init(wav bytes: [UInt8]) throws {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            throw FormatError.notWAV
        }
        var offset = 12
        var format: (channels: Int, rate: Int, bits: Int)?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(Self.uint32(bytes, offset + 4))
            let body = offset + 8
            if id == "fmt " {
                guard size >= 16, body + 16 <= bytes.count else { throw FormatError.unsupported("short fmt chunk") }
                guard Self.uint16(bytes, body) == 1 else { throw FormatError.unsupported("not PCM") }
                format = (Int(Self.uint16(bytes, body + 2)), Int(Self.uint32(bytes, body + 4)), Int(Self.uint16(bytes, body + 14)))
            } else if id == "data" {
                guard let format else { throw FormatError.unsupported("data before fmt") }
                guard format.bits == 16, format.channels >= 1, format.rate > 0 else {
                    throw FormatError.unsupported("\(format.bits)-bit, \(format.channels) channels")
                }
                let end = min(bytes.count, body + size)
                let frames = (end - body) / (2 * format.channels)
                var samples = [Int16](repeating: 0, count: frames)
                for frame in 0..<frames {
                    var sum = 0
                    for channel in 0..<format.channels {
                        let at = body + (frame * format.channels + channel) * 2
                        sum += Int(Int16(bitPattern: Self.uint16(bytes, at)))
                    }
                    samples[frame] = Int16(sum / format.channels)
                }
                self.init(sampleRate: format.rate, samples: samples)
                return
            }
            offset = body + size + (size & 1)
        }
        throw FormatError.unsupported("no data chunk")
    }

    /// The audio at `rate` Hz. Downsampling first removes what the new rate
    /// cannot carry (a windowed-sinc low-pass), so speech does not alias into
    /// a hiss on the phone.
    ///
    /// Both rates are whole numbers, so output sample `n` falls at one of
    /// `rate / gcd` fractional positions between input samples: the filter's
    /// weights are computed once per position (the sines are the cost), then
    /// each output sample is a dot product.
    public func resampled(to rate: Int) -> PCMAudio {
        guard rate > 0, rate != sampleRate, !samples.isEmpty else { return PCMAudio(sampleRate: rate, samples: samples) }
        let divisor = Self.gcd(sampleRate, rate)
        let inputStep = sampleRate / divisor, phases = rate / divisor
        let step = Double(sampleRate) / Double(rate)
        // Cutoff just under the lower of the two Nyquist frequencies, in cycles per input sample.
        let cutoff = 0.92 * min(1.0, 1.0 / step) / 2
        let halfWidth = 16.0 * max(1.0, step)
        let reach = Int(halfWidth.rounded(.up))
        let taps = 2 * reach + 1
        var weights = [Double](repeating: 0, count: phases * taps)
        for phase in 0..<phases {
            let fraction = Double(phase) / Double(phases)
            var total = 0.0
            for tap in 0..<taps {
                let distance = Double(tap - reach) - fraction
                let weight = Self.sinc(2 * cutoff * distance) * Self.hann(distance / halfWidth)
                weights[phase * taps + tap] = weight
                total += weight
            }
            if total != 0 { for tap in 0..<taps { weights[phase * taps + tap] /= total } }
        }
        let count = samples.count * phases / inputStep
        var output = [Int16](repeating: 0, count: count)
        for index in 0..<count {
            let position = index * inputStep
            let base = position / phases, phase = position % phases
            var sum = 0.0
            for tap in 0..<taps {
                let input = base + tap - reach
                guard input >= 0, input < samples.count else { continue }
                sum += weights[phase * taps + tap] * Double(samples[input])
            }
            output[index] = Int16(max(-32768, min(32767, sum.rounded())))
        }
        return PCMAudio(sampleRate: rate, samples: output)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : gcd(b, a % b)
    }

    /// A canonical 44-byte-header WAV file: PCM, mono, 16-bit.
    public var wav: [UInt8] {
        let dataBytes = samples.count * 2
        var out: [UInt8] = []
        out.reserveCapacity(44 + dataBytes)
        out += Array("RIFF".utf8); Self.append32(UInt32(36 + dataBytes), to: &out)
        out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); Self.append32(16, to: &out)
        Self.append16(1, to: &out)  // PCM
        Self.append16(1, to: &out)  // mono
        Self.append32(UInt32(sampleRate), to: &out)
        Self.append32(UInt32(sampleRate * 2), to: &out)
        Self.append16(2, to: &out)
        Self.append16(16, to: &out)
        out += Array("data".utf8); Self.append32(UInt32(dataBytes), to: &out)
        for sample in samples { Self.append16(UInt16(bitPattern: sample), to: &out) }
        return out
    }

    private static func sinc(_ x: Double) -> Double {
        x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
    }

    private static func hann(_ position: Double) -> Double {
        abs(position) >= 1 ? 0 : 0.5 + 0.5 * cos(Double.pi * position)
    }

    private static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    private static func append16(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(value & 0xff)); out.append(UInt8(value >> 8))
    }

    private static func append32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((value >> UInt32(shift)) & 0xff)) }
    }
}
