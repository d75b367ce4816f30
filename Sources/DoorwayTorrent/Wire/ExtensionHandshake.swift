// Our BEP 10 extension handshake payload: a bencoded dictionary of the extensions we speak.

/// Builds the bencoded dictionary we send as `PeerMessage.extended(id: 0, payload:)`.
///
/// Only building our own payload lives here. The peer's payload (its `m` dictionary of extension ids,
/// `metadata_size`, `v`, `reqq`...) is tolerated: the wire decoder keeps it as raw bytes.
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
        var extensions: [BencodeKey: BencodeValue] = [:]
        if let utMetadataID { extensions["ut_metadata"] = .integer(Int64(utMetadataID)) }
        var dictionary: [BencodeKey: BencodeValue] = ["m": .dictionary(extensions), "v": .string(client)]
        if let metadataSize { dictionary["metadata_size"] = .integer(Int64(metadataSize)) }
        if let listenPort { dictionary["p"] = .integer(Int64(listenPort)) }
        if let requestQueue { dictionary["reqq"] = .integer(Int64(requestQueue)) }
        return BencodeValue.dictionary(dictionary).encoded
    }
}
