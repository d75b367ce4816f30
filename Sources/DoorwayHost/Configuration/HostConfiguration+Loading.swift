// Reading a configuration file, or its text, into a HostConfiguration.

import DoorwayBasics

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HostConfiguration {
    /// Reads and checks the configuration file at `path`.
    ///
    /// - Parameters:
    ///   - path: the file, as the user named it; errors name it the same way.
    ///   - plan: which ports services without `listen` take.
    /// - Throws: ``ConfigurationError`` when the file is missing or unreadable, or anything in it is wrong.
    public static func load(
        file path: String, plan: PortPlan
    ) throws(ConfigurationError)
        -> HostConfiguration
    {
        let text = try readText(path)
        return try parse(text, file: path, plan: plan)
    }

    /// Reads and checks the text of a configuration file.
    ///
    /// A file without any `[[service]]` gets the default services (``defaults(plan:address:dataFolder:)``);
    /// a file with services gets exactly those.
    /// - Parameters:
    ///   - text: the TOML text.
    ///   - file: the file's name, for errors.
    ///   - plan: which ports services without `listen` take.
    /// - Throws: ``ConfigurationError`` naming the file, the line, the key, what is wrong and the fix.
    public static func parse(
        _ text: String, file: String, plan: PortPlan
    ) throws(ConfigurationError)
        -> HostConfiguration
    {
        try ConfigurationReader(file: file, plan: plan, text: text).read(text)
    }

    private static func readText(_ path: String) throws(ConfigurationError) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ConfigurationError(
                file: path, message: "cannot read the configuration file: \(reason)",
                fix: "check the path, or write the defaults there with door serve --print-config > \(path)")
        }
        defer { close(descriptor) }
        let bytes: [UInt8]
        do throws(Errno) {
            bytes = try FileDescriptor(descriptor).readToEnd()
        } catch {
            throw ConfigurationError(
                file: path, message: "cannot read the configuration file: \(error)",
                fix: "give a regular file that door can read")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(
                file: path, message: "the file is not UTF-8 text", fix: "save it as UTF-8, as TOML requires"
            )
        }
        return text
    }
}
