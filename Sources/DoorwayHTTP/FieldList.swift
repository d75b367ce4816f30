// RFC 9110 §5.6.1 lists (`#element`): the grammar that Range, If-Match and If-None-Match share.

enum FieldList {
    /// Parses comma-separated elements from `index` to the end of `bytes`, skipping optional whitespace and
    /// the empty elements §5.6.1.2 allows; nil if an element is malformed or anything but a comma follows one.
    static func elements<Element>(
        of bytes: [UInt8], from index: inout Int, element parse: ([UInt8], inout Int) -> Element?
    ) -> [Element]? {
        var elements: [Element] = []
        while index < bytes.count {
            skipWhitespace(bytes, &index)
            guard index < bytes.count else { break }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard let element = parse(bytes, &index) else { return nil }
            elements.append(element)
            skipWhitespace(bytes, &index)
            guard index == bytes.count || bytes[index] == UInt8(ascii: ",") else { return nil }
        }
        return elements
    }

    /// Optional whitespace (OWS): spaces and tabs.
    static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
    }
}
