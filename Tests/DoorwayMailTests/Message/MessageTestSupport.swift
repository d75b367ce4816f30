// Shared helpers for the message tests: byte conversion, line checks and a seeded PRNG for fuzzing.

import DoorwayBasics

@testable import DoorwayMail

/// UTF-8 octets of a literal, optionally with every LF turned into CRLF.
func octets(_ text: String, crlf: Bool = false) -> [UInt8] {
    var result: [UInt8] = []
    for byte in text.utf8 {
        if crlf && byte == 0x0A {
            result.append(0x0D)
        }
        result.append(byte)
    }
    return result
}

func string(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// The lines of CRLF data, or nil if any CR or LF appears outside a CRLF pair.
func crlfLines(_ bytes: [UInt8]) -> [[UInt8]]? {
    var lines: [[UInt8]] = []
    var current: [UInt8] = []
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == 0x0D {
            guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else { return nil }
            lines.append(current)
            current = []
            index += 2
            continue
        }
        if byte == 0x0A {
            return nil
        }
        current.append(byte)
        index += 1
    }
    if !current.isEmpty {
        lines.append(current)
    }
    return lines
}

/// The header lines of composed message bytes (up to the empty line).
func headerLines(_ bytes: [UInt8]) -> [String] {
    var lines: [String] = []
    for line in crlfLines(bytes) ?? [] {
        if line.isEmpty {
            break
        }
        lines.append(string(line))
    }
    return lines
}

/// The suites share one seeded generator (TestSupport.swift).
typealias SeededGenerator = SplitMix64

/// The body text a composed message should show after parsing: line endings as LF, ending in LF unless empty.
func expectedDisplayText(_ text: String) -> String {
    var result = ""
    var previousWasCR = false
    for scalar in text.unicodeScalars {
        if scalar == "\r" {
            result.unicodeScalars.append("\n")
            previousWasCR = true
            continue
        }
        if !(scalar == "\n" && previousWasCR) {
            result.unicodeScalars.append(scalar)
        }
        previousWasCR = false
    }
    if !result.isEmpty && !result.hasSuffix("\n") {
        result += "\n"
    }
    return result
}
