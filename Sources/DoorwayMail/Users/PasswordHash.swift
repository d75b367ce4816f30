// Salted, deliberately slow password hashes (scrypt, RFC 7914), so a stolen users file does not give away
// passwords.

import Crypto
import CryptoExtras
import DoorwayBasics

/// One stored password: `$scrypt$ln=15,r=8,p=1$SALT$HASH`, salt and hash in hex.
///
/// The cost is stored with the hash, so a file can mix costs and the default can rise later without
/// breaking old entries. The default (2^15 rounds, 8-block, 32 MiB, about 0.1 s) follows the scrypt paper's
/// interactive-login setting.
struct PasswordHash: Sendable, Equatable {
    struct Cost: Sendable, Equatable {
        /// log2 of scrypt's N.
        var logRounds: Int
        var blockSize: Int
        var parallelism: Int

        static let standard = Cost(logRounds: 15, blockSize: 8, parallelism: 1)
    }

    var cost: Cost
    var salt: [UInt8]
    var hash: [UInt8]

    static let saltLength = 16
    static let hashLength = 32

    /// Hashes `password` under a fresh random salt.
    static func make(password: [UInt8], cost: Cost = .standard) throws -> PasswordHash {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return PasswordHash(cost: cost, salt: salt, hash: try derive(password, salt: salt, cost: cost))
    }

    /// Parses the stored form; nil if it is not one.
    init?(stored: Substring) {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
        var values: [Substring: Int] = [:]
        for pair in parts[2].split(separator: ",") {
            let keyValue = pair.split(separator: "=")
            guard keyValue.count == 2, let value = Int(keyValue[1]) else { return nil }
            values[keyValue[0]] = value
        }
        guard let logRounds = values["ln"], (1...24).contains(logRounds), let blockSize = values["r"],
            (1...32).contains(blockSize), let parallelism = values["p"], (1...16).contains(parallelism),
            let salt = Hex.decode(parts[3]), let hash = Hex.decode(parts[4]), !salt.isEmpty, !hash.isEmpty
        else { return nil }
        self.init(
            cost: Cost(logRounds: logRounds, blockSize: blockSize, parallelism: parallelism), salt: salt, hash: hash)
    }

    init(cost: Cost, salt: [UInt8], hash: [UInt8]) {
        self.cost = cost
        self.salt = salt
        self.hash = hash
    }

    var stored: String {
        "$scrypt$ln=\(cost.logRounds),r=\(cost.blockSize),p=\(cost.parallelism)$\(Hex.encode(salt))$\(Hex.encode(hash))"
    }

    /// Whether `password` is this one, compared in constant time.
    func matches(_ password: [UInt8]) -> Bool {
        guard let derived = try? Self.derive(password, salt: salt, cost: cost, length: hash.count) else { return false }
        // SymmetricKey's == is swift-crypto's constant-time comparison.
        return SymmetricKey(data: derived) == SymmetricKey(data: hash)
    }

    private static func derive(
        _ password: [UInt8], salt: [UInt8], cost: Cost, length: Int = hashLength
    ) throws
        -> [UInt8]
    {
        let key = try KDF.Scrypt.deriveKey(
            from: password, salt: salt, outputByteCount: length, rounds: 1 << cost.logRounds,
            blockSize: cost.blockSize, parallelism: cost.parallelism)
        return key.withUnsafeBytes { Array($0) }
    }
}
