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
        var position = offset
        var remaining = length ?? UInt64.max
        // A buffer no larger than what there is to read: most recordings are far
        // smaller than a chunk, and a fresh 1 MiB buffer costs more to map and
        // clear than their whole hash.
        var status = stat()
        let fileSize = fstat(fd, &status) == 0 ? UInt64(max(0, status.st_size)) : UInt64.max
        let toRead = min(remaining, fileSize > offset ? fileSize - offset : 0)
        let chunkSize = Int(max(1, min(UInt64(1 << 20), toRead)))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while remaining > 0 {
            let wanted = Int(min(UInt64(chunkSize), remaining))
            let got = pread(fd, buffer.baseAddress, wanted, off_t(position))
            if got < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 {
                guard length == nil else { throw FileError(path: path, reason: "file shorter than the requested range") }
                break
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
            position += UInt64(got)
            remaining -= UInt64(got)
        }
        return hasher.finalize()
    }
}
