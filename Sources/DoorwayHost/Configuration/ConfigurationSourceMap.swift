// Which line of a TOML file each table and key is on, for errors that TOMLKit cannot place.

/// The lines of a configuration file's table headers and keys.
///
/// TOMLKit reports lines only for syntax errors; this small scan of the text finds the line of
/// `[admin]`, of the n-th `[[service]]` and of each `key =` in them, so that an error about a value can
/// point at it. It understands the TOML the configuration uses: headers, bare and quoted keys, comments
/// and multi-line strings.
struct ConfigurationSourceMap {
    /// A part of the file: the top level, a `[table]`, or one element of an `[[array]]`.
    enum Section: Hashable {
        case root
        case table(String)
        case arrayElement(String, index: Int)
    }

    private var headers: [Section: Int] = [:]
    private var keys: [Section: [String: Int]] = [:]

    init(_ text: String) {
        var section = Section.root
        var arrayCounts: [String: Int] = [:]
        var multilineDelimiter: Substring?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            if let delimiter = multilineDelimiter {
                if Self.count(of: delimiter, in: line) % 2 == 1 { multilineDelimiter = nil }
                continue
            }
            if line.hasPrefix("[[") {
                guard let close = line.firstRange(of: "]]") else { continue }
                let name = Self.unquote(line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound])
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                section = .arrayElement(name, index: index)
                headers[section] = headers[section] ?? lineNumber
                continue
            }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { continue }
                section = .table(Self.unquote(line[line.index(after: line.startIndex)..<close]))
                headers[section] = headers[section] ?? lineNumber
                continue
            }
            guard let (key, rest) = Self.key(in: line) else { continue }
            if keys[section, default: [:]][key] == nil {
                keys[section, default: [:]][key] = lineNumber
            }
            for delimiter in ["\"\"\"", "'''"]
            where Self.count(of: Substring(delimiter), in: rest) % 2 == 1 {
                multilineDelimiter = Substring(delimiter)
            }
        }
    }

    /// The line of a section's header; nil for the top level and for sections not in the file.
    func line(of section: Section) -> Int? {
        headers[section]
    }

    /// The line of `key` in `section`, else the section's header line, else (for a table written inline,
    /// `admin = { … }`) the line of the table's own key.
    func line(ofKey key: String, in section: Section) -> Int? {
        if let line = keys[section]?[key] ?? headers[section] { return line }
        if case .table(let name) = section { return keys[.root]?[name] }
        return nil
    }

    /// The key at the start of a `key = value` line and the text after the `=`.
    private static func key(in line: Substring) -> (String, Substring)? {
        var rest = line
        var key = ""
        if let quote = rest.first, quote == "\"" || quote == "'" {
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { return nil }
            key = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
        } else {
            let bare = rest.prefix(while: {
                $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "."
            })
            guard !bare.isEmpty else { return nil }
            key = String(bare)
            rest = rest.dropFirst(bare.count)
        }
        rest = rest.drop(while: { $0 == " " || $0 == "\t" })
        guard rest.first == "=" else { return nil }
        return (key, rest.dropFirst())
    }

    private static func unquote(_ name: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        var trimmed = name.drop(while: isSpace)
        while let last = trimmed.last, isSpace(last) { trimmed = trimmed.dropLast() }
        if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'",
            trimmed.last == first
        {
            return String(trimmed.dropFirst().dropLast())
        }
        return String(trimmed)
    }

    private static func count(of delimiter: Substring, in line: Substring) -> Int {
        var count = 0
        var rest = line
        while let range = rest.firstRange(of: delimiter) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
