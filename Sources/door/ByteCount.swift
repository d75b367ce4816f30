// Byte counts written for people, as progress lines and summaries show them.

/// Bytes for people: 1.5 MiB.
struct ByteCount: CustomStringConvertible {
    let value: Int
    init(_ value: Int) { self.value = value }

    var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        if unit == 0 { return "\(value) B" }
        let tenths = Int((amount * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
