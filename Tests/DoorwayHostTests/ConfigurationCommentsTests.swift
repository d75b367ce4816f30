// rendered(): each key's comment and value, word for word, as `door serve --print-config` has always printed them.

import DoorwayHost
import Testing

struct CommentsTests {
    /// Each kind's keys, with the comment above them, in the default configuration.
    @Test(arguments: [
        "# The folder relative paths are resolved in (default \"door-data\").\ndata = \"door-data\"\n",
        "# Where the administration interface listens (default \"127.0.0.1:8099\").\nlisten = \"127.0.0.1:8099\"\n",
        "# The bearer token every request must carry (default: none required).\n# token = \"a-long-secret\"\n",
        "# The most connections served at once (default: unlimited; web 4096).\nmax-connections = 4096\n",
        "# The folder served (default \"public\").\nroot = \"public\"\n",
        "# List a folder that has no index page (default false).\nlist-folders = false\n",
        "# Serve names that start with \".\" (default false).\nhidden-files = false\n",
        "# The maildir of the mail (default \"mail\").\nmaildir = \"mail\"\n",
        "# The name the server greets with (default: the machine's name).\n# hostname = \"mail.example.org\"\n",
        "# The domains mail is accepted for (default [], any).\ndomains = []\n",
        "# The largest message in bytes (default 26214400, 25 MiB).\nmax-size = 26214400\n",
        "# The most recipients of one message (default 100).\nmax-recipients = 100\n",
        "# Refuse lines that end in a bare LF (default false).\nstrict-line-endings = false\n",
        "# The users and passwords file (default: .users in the maildir).\n# users = \"mail/.users\"\n",
        "# Seconds peers wait between announces (default 1800).\ninterval = 1800\n",
        "# The most torrents tracked (default 100000).\nmax-torrents = 100000\n",
        "# The most peers tracked per torrent (default 10000).\nmax-peers = 10000\n",
        "# The folder of .torrent files (default \"torrents\"); each further torrent takes the next port.\n"
            + "torrents = \"torrents\"\n",
    ])
    func defaultKeyReadsAsBefore(lines: String) {
        let text = HostConfiguration.defaults(plan: unprivilegedPlan).rendered()
        #expect(text.contains(lines))
    }

    @Test func servicesComeInTheirOrderWithTheirPorts() {
        let text = HostConfiguration.defaults(plan: unprivilegedPlan).rendered()
        let kinds = text.split(separator: "\n").filter { $0.hasPrefix("kind = ") }
        #expect(
            kinds == [
                "kind = \"web\"", "kind = \"smtp\"", "kind = \"pop3\"", "kind = \"tracker\"", "kind = \"seed\"",
                "kind = \"echo\"", "kind = \"discard\"", "kind = \"daytime\"", "kind = \"chargen\"",
                "kind = \"qotd\"", "kind = \"time\"",
            ])
        let listens = text.split(separator: "\n").filter { $0.hasPrefix("listen = [") }
        #expect(
            listens == [
                "listen = [\":8080\"]", "listen = [\":2525\"]", "listen = [\":1110\"]", "listen = [\":6969\"]",
                "listen = [\":6881\"]", "listen = [\":10007\"]", "listen = [\":10009\"]", "listen = [\":10013\"]",
                "listen = [\":10019\"]", "listen = [\":10017\"]", "listen = [\":10037\"]",
            ])
    }
}
