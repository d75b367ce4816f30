// Why a .torrent file was rejected, naming the field (as a dotted path such as `info.files[2].path`).

/// A .torrent file failed to decode or validate.
///
/// ```swift
/// do { _ = try Metainfo(decoding: bytes) }
/// catch { print(error) }   // metainfo: info.piece length: must be between 1 and 67108864, got 0
/// ```
public enum MetainfoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not valid strict bencode.
    case invalidBencode(BencodeError)
    /// A required field is absent.
    case missingField(String)
    /// A field has the wrong bencode type.
    case wrongType(field: String, expected: String)
    /// A field has the right type but an unacceptable value.
    case invalidField(field: String, problem: String)
    /// A file name or path is unsafe to use on disk.
    case unsafePath(field: String, SafePathError)
    /// Two files have the same path.
    case duplicatePath(String)
    /// A file's path is also used as a directory by another file.
    case pathConflict(file: String, directoryOf: String)
    /// `pieces` does not hold one hash per piece of the total length.
    case pieceCountMismatch(expected: Int, actual: Int)

    public var description: String {
        "metainfo: " + problem
    }

    private var problem: String {
        switch self {
        case .invalidBencode(let error): "\(error)"
        case .missingField(let field): "missing required field \(field)"
        case .wrongType(let field, let expected): "\(field): expected \(expected)"
        case .invalidField(let field, let problem): "\(field): \(problem)"
        case .unsafePath(let field, let error): "\(field): \(error)"
        case .duplicatePath(let path): "info.files: duplicate path \"\(path)\""
        case .pathConflict(let file, let other):
            "info.files: \"\(file)\" is a file but also a directory of \"\(other)\""
        case .pieceCountMismatch(let expected, let actual):
            "info.pieces: holds \(actual) hashes but the total length needs \(expected)"
        }
    }
}
