// The torrent code's name for hexadecimal text (info-hashes, peer identities, error messages); the digits live
// in DoorwayBasics, so these files need not import it.

import DoorwayBasics

enum Hex {
    /// Two lowercase digits per byte.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        DoorwayBasics.Hex.encode(bytes)
    }

    /// Accepts either case; nil on odd length or any non-hex character.
    static func decode(_ text: String) -> [UInt8]? {
        DoorwayBasics.Hex.decode(text)
    }
}
