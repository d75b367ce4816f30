// The clocks behind daytime (RFC 867) and time (RFC 868).

import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum Daytime {
    /// Seconds from 1900-01-01 to 1970-01-01, the offset between RFC 868 time and Unix time.
    static let secondsFrom1900To1970: Int = 2_208_988_800

    /// The date and time in UTC, in the form RFC 867 gives as an example:
    /// `Wednesday, November 25, 2026 16:50:00-UTC` and CR LF.
    static func text(at seconds: Int = time(nil)) -> String {
        var clock = time_t(seconds)
        var parts = tm()
        gmtime_r(&clock, &parts)
        var output = [CChar](repeating: 0, count: 64)
        let length = strftime(&output, output.count, "%A, %B %d, %Y %H:%M:%S-UTC\r\n", &parts)
        return String(decoding: output.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// RFC 868: seconds since 1900 as a 32-bit big-endian number (it wraps in 2036, as the RFC's clock does).
    static func timeProtocolBytes(at seconds: Int = time(nil)) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(truncatingIfNeeded: seconds + secondsFrom1900To1970))
        return buffer
    }
}
