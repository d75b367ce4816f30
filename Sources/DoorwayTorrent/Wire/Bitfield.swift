// Which pieces someone has, in the BEP 3 wire layout, so a received bitfield is used without conversion.

/// A fixed-size set of piece indices stored as the BEP 3 `bitfield` message payload: piece 0 is the high bit of
/// the first byte, and the spare bits of the last byte are always zero.
///
/// ```swift
/// var have = Bitfield(count: 10)
/// have[3] = true
/// have.bytes        // [0x10, 0x00]
/// let theirs = try Bitfield(bytes: [0xFF, 0xC0], count: 10)
/// theirs.isComplete // true
/// ```
public struct Bitfield: Sendable, Hashable {
    /// The number of pieces.
    public let count: Int
    /// The number of pieces present; kept up to date on every set so it costs nothing to read.
    public private(set) var setCount: Int
    /// The wire payload: `(count + 7) / 8` bytes.
    public private(set) var bytes: [UInt8]

    /// A bitfield of `count` pieces, all absent unless `repeating` is true (a BEP 6 `have all`).
    public init(count: Int, repeating value: Bool = false) {
        precondition(count >= 0, "Bitfield: negative count")
        self.count = count
        self.bytes = [UInt8](repeating: value ? 0xFF : 0, count: (count + 7) / 8)
        self.setCount = value ? count : 0
        if value, count % 8 != 0 {
            bytes[bytes.count - 1] = UInt8(truncatingIfNeeded: 0xFF << (8 - count % 8))
        }
    }

    /// Adopts a received payload, refusing a wrong byte count or set spare bits (BEP 3: "Clients should drop the
    /// connection if they receive bitfields that are not of the correct size, or if the bitfield has any of the
    /// spare bits set").
    public init(bytes: some Collection<UInt8>, count: Int) throws(PeerWireError) {
        precondition(count >= 0, "Bitfield: negative count")
        let expected = (count + 7) / 8
        guard bytes.count == expected else {
            throw .bitfieldLengthMismatch(message: "bitfield", byteCount: bytes.count, expected: expected)
        }
        let stored = [UInt8](bytes)
        if count % 8 != 0, let last = stored.last, last & UInt8(0xFF >> (count % 8)) != 0 {
            throw .bitfieldSpareBitsSet(message: "bitfield")
        }
        self.count = count
        self.bytes = stored
        self.setCount = stored.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "Bitfield: index \(index) out of 0..<\(count)")
            return bytes[index >> 3] & (0x80 >> UInt8(index & 7)) != 0
        }
        set {
            precondition(index >= 0 && index < count, "Bitfield: index \(index) out of 0..<\(count)")
            let mask: UInt8 = 0x80 >> UInt8(index & 7)
            let old = bytes[index >> 3] & mask != 0
            guard old != newValue else { return }
            if newValue {
                bytes[index >> 3] |= mask
                setCount += 1
            } else {
                bytes[index >> 3] &= ~mask
                setCount -= 1
            }
        }
    }

    /// True when every piece is present (a seed's bitfield).
    public var isComplete: Bool { setCount == count }
}
