// Formats one access-log line in the Apache/nginx "combined" format.

import DoorwayBasics
import DoorwayHTTP

/// Builds combined-format access log lines that cannot be forged by request contents.
public struct CombinedLogLine: Sendable {
    /// `addr - - [time] "METHOD target VERSION" status bytes "referer" "user-agent"` plus a newline.
    ///
    /// Every client-controlled field is escaped like nginx's `escape=default`: `"` becomes `\"`, `\` becomes
    /// `\\`, and control characters, DEL and every non-ASCII byte become `\xHH`, so a request can neither end
    /// a quoted field nor inject a line. A missing or empty referer or user agent is logged as `-`, as nginx
    /// does for empty variables. Negative byte counts and statuses are clamped to 0.
    public static func format(
        remoteAddress: String, time: Int, method: String, target: String, version: String, status: Int,
        bytesSent: Int, referer: String?, userAgent: String?
    ) -> String {
        let request = escape(method) + " " + escape(target) + " " + escape(version)
        return escape(remoteAddress) + " - - [" + HTTPDate.commonLogFormat(time) + "] \"" + request + "\" "
            + String(max(0, status)) + " " + String(max(0, bytesSent)) + " \"" + optional(referer) + "\" \""
            + optional(userAgent) + "\"\n"
    }

    private static func optional(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        return escape(value)
    }

    static func escape(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0x20..<0x7F:
                output.append(byte)
            default:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "x")])
                Hex.append(byte, to: &output, uppercase: true)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
