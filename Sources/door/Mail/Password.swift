// Reading a password from the terminal without echo, or from standard input.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a password without echoing it on a terminal (asked twice), or as the first line of piped input.
enum Password {
    static func read(prompt: String) throws -> [UInt8] {
        guard isatty(0) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw fail("no password on standard input")
            }
            return Array(line.utf8)
        }
        let first = try readHidden(prompt)
        let second = try readHidden("Again: ")
        guard first == second else { throw fail("the passwords differ") }
        guard !first.isEmpty else { throw fail("the password is empty") }
        return first
    }

    private static func readHidden(_ prompt: String) throws -> [UInt8] {
        printError(prompt, newline: false)
        var saved = termios()
        tcgetattr(0, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &silent)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            printError("")
        }
        guard let line = readLine(strippingNewline: true) else { throw fail("no password given") }
        return Array(line.utf8)
    }
}
