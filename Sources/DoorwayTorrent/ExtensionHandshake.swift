// Our BEP 10 extension handshake payload, written by hand so the wire code needs no bencode encoder.

/// Builds the bencoded dictionary we send as `PeerMessage.extended(id: 0, payload:)`.
///
/// Only building our own payload lives here. Parsing the peer's payload (its `m` dictionary of extension ids,
/// `metadata_size`, `v`, `reqq`...) is left to `BencodeDecoder`; the wire decoder keeps it as raw bytes.
///
/// ```swift
/// let payload = ExtensionHandshake.payload(utMetadataID: 1, metadataSize: 31_337)
/// channel.write(PeerMessage.extended(id: ExtensionHandshake.messageID, payload: payload).bytes)
/// ```
public enum ExtensionHandshake: Sendable {
    /// BEP 10: extended message id 0 is the handshake itself.
    public static let messageID: UInt8 = 0

    /// The bencoded payload, keys in the byte order bencode requires (`m`, `metadata_size`, `p`, `reqq`, `v`).
    ///
    /// - Parameters:
    ///   - utMetadataID: the id the peer must use when sending us `ut_metadata` (BEP 9) messages; nil advertises
    ///     no extensions (an empty `m`).
    ///   - metadataSize: the info dictionary's size in bytes when we have it (BEP 9 `metadata_size`).
    ///   - listenPort: our listening port (`p`), useful when the connection was outgoing.
    ///   - requestQueue: how many outstanding requests we accept (`reqq`).
    ///   - client: our client name and version (`v`).
    public static func payload(
        utMetadataID: UInt8? = 1,
        metadataSize: Int? = nil,
        listenPort: UInt16? = nil,
        requestQueue: Int? = nil,
        client: String = "door 0.1"
    ) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "d")]
        appendString("m", to: &out)
        out.append(UInt8(ascii: "d"))
        if let utMetadataID {
            appendString("ut_metadata", to: &out)
            appendInteger(Int(utMetadataID), to: &out)
        }
        out.append(UInt8(ascii: "e"))
        if let metadataSize {
            appendString("metadata_size", to: &out)
            appendInteger(metadataSize, to: &out)
        }
        if let listenPort {
            appendString("p", to: &out)
            appendInteger(Int(listenPort), to: &out)
        }
        if let requestQueue {
            appendString("reqq", to: &out)
            appendInteger(requestQueue, to: &out)
        }
        appendString("v", to: &out)
        appendString(client, to: &out)
        out.append(UInt8(ascii: "e"))
        return out
    }

    /// Bencode strings are prefixed by their length in bytes, not characters.
    private static func appendString(_ string: String, to out: inout [UInt8]) {
        let utf8 = Array(string.utf8)
        out += Array(String(utf8.count).utf8)
        out.append(UInt8(ascii: ":"))
        out += utf8
    }

    private static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "i"))
        out += Array(String(value).utf8)
        out.append(UInt8(ascii: "e"))
    }
}
