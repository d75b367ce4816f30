// The layering of docs/ARCHITECTURE.md, checked against every `import` under Sources/.

import Foundation
import Testing

/// Every module of this package has a layer; a module may import only modules of lower layers, except that
/// kits may use other kits. Third-party modules (NIO, Logging, …) are not ours to rank and are ignored.
@Suite struct LayeringTests {
    enum Layer: Int, Comparable, CustomStringConvertible {
        case basics, core, kit, application, host, command

        static func < (lhs: Layer, rhs: Layer) -> Bool { lhs.rawValue < rhs.rawValue }

        var description: String {
            switch self {
            case .basics: "package basics"
            case .core: "the core"
            case .kit: "a protocol kit"
            case .application: "an application"
            case .host: "the host"
            case .command: "a command"
            }
        }
    }

    /// Each of our modules and its layer. A new module must be added here, or the test fails.
    static let layers: [String: Layer] = [
        "DoorwayBasics": .basics,
        "CDoorwayWeb": .basics,
        "CDoorwayHTTP": .basics,
        "Doorway": .core,
        "DoorwayTesting": .kit,
        "DoorwayHTTP": .kit,
        "DoorwayServices": .application,
        "DoorwayWeb": .application,
        "DoorwayMail": .application,
        "DoorwayTorrent": .application,
        "DoorwayHost": .host,
        "door": .command,
        "doorway-bench": .command,
    ]

    static func isOurs(_ module: String) -> Bool {
        module.hasPrefix("Doorway") || module.hasPrefix("CDoorway") || module == "door"
    }

    /// Whether `importer` may import `imported`.
    static func allows(_ importer: Layer, _ imported: Layer) -> Bool {
        imported < importer || (importer == .kit && imported == .kit)
    }

    struct Import: CustomStringConvertible {
        var file: String
        var line: Int
        var importer: String
        var imported: String
        var description: String { "\(file):\(line): \(importer) imports \(imported)" }
    }

    static let sourcesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Every `import` line of every Swift file under Sources/, with the module it sits in.
    static func imports() throws -> [Import] {
        let modules = try FileManager.default.contentsOfDirectory(atPath: sourcesFolder.path)
        var found: [Import] = []
        for module in modules.sorted() {
            let folder = sourcesFolder.appendingPathComponent(module)
            guard let walker = FileManager.default.enumerator(atPath: folder.path) else { continue }
            for case let relative as String in walker where relative.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    if let imported = importedModule(in: String(line)) {
                        found.append(
                            Import(
                                file: "Sources/\(module)/\(relative)", line: index + 1, importer: module,
                                imported: imported))
                    }
                }
            }
        }
        return found
    }

    /// The module an `import` line names (`import X`, `public import X`, `@_exported import X`,
    /// `import struct X.Y`), or nil for any other line.
    static func importedModule(in line: String) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        while let first = words.first,
            first.hasPrefix("@")
                || [
                    "public", "package", "internal", "private",
                    "fileprivate",
                ].contains(first)
        {
            words.removeFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        words.removeFirst()
        if ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"].contains(words[0]) {
            guard words.count >= 2 else { return nil }
            words.removeFirst()
        }
        return String(words[0].split(separator: ".")[0])
    }

    @Test func importLinesAreRecognised() {
        #expect(Self.importedModule(in: "import DoorwayWeb") == "DoorwayWeb")
        #expect(Self.importedModule(in: "public import NIOCore") == "NIOCore")
        #expect(Self.importedModule(in: "@_exported import Doorway") == "Doorway")
        #expect(Self.importedModule(in: "import struct DoorwayHTTP.WebAddress") == "DoorwayHTTP")
        #expect(Self.importedModule(in: "    import Glibc") == "Glibc")
        #expect(Self.importedModule(in: "// import DoorwayWeb") == nil)
        #expect(Self.importedModule(in: "let important = 1") == nil)
    }

    @Test func everyModuleHasALayer() throws {
        let modules = try FileManager.default.contentsOfDirectory(atPath: Self.sourcesFolder.path)
        let unranked = modules.filter { Self.layers[$0] == nil }.sorted()
        #expect(unranked.isEmpty, "modules without a layer in LayeringTests.layers: \(unranked)")
    }

    @Test func importsPointDownOnly() throws {
        let imports = try Self.imports()
        #expect(imports.count > 100, "found only \(imports.count) imports: is Sources/ at \(Self.sourcesFolder.path)?")
        var violations: [String] = []
        for found in imports where Self.isOurs(found.imported) && found.imported != found.importer {
            guard let importer = Self.layers[found.importer], let imported = Self.layers[found.imported] else {
                violations.append("\(found): a module without a layer")
                continue
            }
            if !Self.allows(importer, imported) {
                violations.append("\(found): \(importer) may not import \(imported)")
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    @Test func theRuleRefusesSidewaysAndUpwardArrows() {
        #expect(!Self.allows(.application, .application))
        #expect(!Self.allows(.kit, .application))
        #expect(!Self.allows(.core, .kit))
        #expect(!Self.allows(.application, .host))
        #expect(Self.allows(.application, .kit))
        #expect(Self.allows(.kit, .kit))
        #expect(Self.allows(.host, .application))
    }
}
