// Quoted-printable (RFC 2045 §6.7) encoding for outgoing bodies and lenient decoding for stored ones.

import DoorwayBasics

extension MIME {
    /// Longest encoded line, excluding CRLF, that RFC 2045 permits.
    private static let quotedPrintableLineLimit = 76

    /// Encodes octets as quoted-printable: CRLF pairs are hard line breaks and kept; every other CR or LF, `=`,
    /// control and 8-bit octet becomes `=XX`; a space or tab before a line end is escaped so transports that
    /// strip trailing whitespace cannot change the text; soft breaks (`=` CRLF) keep lines within 76 octets.
    public static func encodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        var lineLength = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.cr && index + 1 < bytes.count && bytes[index + 1] == ASCII.lf {
                output += ASCII.crlf
                lineLength = 0
                index += 2
                continue
            }
            let endsLine =
                index + 1 == bytes.count
                || (bytes[index + 1] == ASCII.cr && index + 2 < bytes.count && bytes[index + 2] == ASCII.lf)
            let literal =
                (byte >= 0x21 && byte <= 0x7E && byte != ASCII.equals)
                || (ASCII.isBlank(byte) && !endsLine)
            let width = literal ? 1 : 3
            // The last token of a line may use the column a soft-break `=` would otherwise need.
            let limit = endsLine ? quotedPrintableLineLimit : quotedPrintableLineLimit - 1
            if lineLength + width > limit {
                output += [ASCII.equals, ASCII.cr, ASCII.lf]
                lineLength = 0
            }
            if literal {
                output.append(byte)
            } else {
                // Upper-case because RFC 2045 §6.7 requires upper-case hex digits in quoted-printable output.
                output.append(ASCII.equals)
                Hex.append(byte, to: &output, uppercase: true)
            }
            lineLength += width
            index += 1
        }
        return output
    }

    /// Decodes quoted-printable leniently: soft breaks may end in CRLF or LF, trailing blanks are dropped as
    /// RFC 2045 requires, lower-case hex is accepted, and an `=` not starting a valid escape is kept literally.
    /// Hard line breaks are returned as they appear in the input.
    public static func decodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        decodeQuotedPrintable(bytes[...])
    }

    static func decodeQuotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let (range, next) = ASCII.line(in: bytes, from: start)
            var content = bytes[range]
            while let last = content.last, ASCII.isBlank(last) {
                content = content.dropLast()
            }
            let soft = content.last == ASCII.equals
            if soft {
                content = content.dropLast()
            }
            decodeQuotedPrintableLine(content, into: &output)
            if !soft && next > range.upperBound {
                output += bytes[range.upperBound..<next]
            }
            start = next
        }
        return output
    }

    static func decodeQuotedPrintableLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if byte == ASCII.equals, index + 2 < line.endIndex,
                let high = Hex.value(of: line[index + 1]), let low = Hex.value(of: line[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
    }
}
