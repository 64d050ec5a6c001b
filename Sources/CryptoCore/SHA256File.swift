#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SHA256 {
    /// Why hashing a file failed.
    public struct FileError: Error, CustomStringConvertible {
        /// The file involved.
        public let path: String
        /// The system's explanation (from `errno`), or a short reason.
        public let reason: String

        public var description: String { "cannot hash \(path): \(reason)" }
    }

    /// The digest of `length` bytes of a file starting at `offset` (the whole rest of
    /// the file when `length` is nil), read in 1 MiB chunks so memory stays flat.
    public static func hash(fileAt path: String, offset: UInt64 = 0, length: UInt64? = nil) throws(FileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let hasher = Hasher()
        let chunkSize = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var position = offset
        var remaining = length ?? UInt64.max
        while remaining > 0 {
            let wanted = Int(min(UInt64(chunkSize), remaining))
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, wanted, off_t(position)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 {
                guard length == nil else { throw FileError(path: path, reason: "file shorter than the requested range") }
                break
            }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            position += UInt64(got)
            remaining -= UInt64(got)
        }
        return hasher.finalize()
    }
}
