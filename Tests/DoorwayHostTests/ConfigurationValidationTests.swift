// Each mistake a configuration file can hold, reported with its file, line, key and fix.

import Doorway
import DoorwayHost
import Testing

struct ValidationTests {
    @Test func syntaxErrorsCarryTOMLKitsLine() throws {
        let error = try #require(configurationError("data = \"x\"\n\n[admin]\nlisten = 127.0.0.1:8099\n"))
        #expect(error.line == 4)
        #expect(error.key == nil)
        #expect(error.description.hasPrefix("door.toml:4: not valid TOML"))
    }

    @Test func unknownKeySuggestsTheClosest() throws {
        let error = try #require(
            configurationError("[[service]]\nkind = \"web\"\n\nlisten = \":8080\"\nlist-folder = true\n"))
        #expect(error.line == 5)
        #expect(error.key == "list-folder")
        #expect(error.section == "service \"web\"")
        #expect(error.fix.contains("did you mean \"list-folders\"?"))
    }

    @Test func keyOfAnotherKindSaysWhereItBelongs() throws {
        let error = try #require(configurationError("[[service]]\nkind = \"web\"\nmaildir = \"mail\"\n"))
        #expect(error.line == 3)
        #expect(error.key == "maildir")
        #expect(error.message.contains("smtp and pop3 services"))
    }

    @Test func unknownTopLevelAndAdminKeys() throws {
        let top = try #require(configurationError("datta = \"x\"\n"))
        #expect(top.line == 1)
        #expect(top.key == "datta")
        #expect(top.fix.contains("\"data\""))
        let table = try #require(configurationError("# header\n[services]\nkind = \"web\"\n"))
        #expect(table.line == 2)
        #expect(table.key == "services")
        #expect(table.fix.contains("\"service\""))
        let admin = try #require(
            configurationError("[admin]\nlisten = \"127.0.0.1:1\"\ntoken = \"t\"\ntokn = \"x\"\n"))
        #expect(admin.line == 4)
        #expect(admin.key == "tokn")
        #expect(admin.section == "[admin]")
    }

    @Test func wrongValueTypes() throws {
        let error = try #require(
            configurationError("[[service]]\nkind = \"web\"\nmax-connections = \"4096\"\n"))
        #expect(error.line == 3)
        #expect(error.key == "max-connections")
        #expect(error.message == "expected a whole number, found the string \"4096\"")
        #expect(error.fix == "write max-connections = 4096")
        let flag = try #require(configurationError("[[service]]\nkind = \"web\"\n\nlist-folders = \"yes\"\n"))
        #expect(flag.line == 4)
        #expect(flag.message.contains("true or false"))
        let listen = try #require(configurationError("[[service]]\nkind = \"web\"\nlisten = [8080]\n"))
        #expect(listen.line == 3)
        #expect(listen.key == "listen")
        let data = try #require(configurationError("data = 5\n"))
        #expect(data.line == 1)
        #expect(data.key == "data")
        let single = try #require(configurationError("[service]\nkind = \"web\"\n"))
        #expect(single.line == 1)
        #expect(single.fix.contains("[[service]]"))
    }

    @Test func unknownKindListsTheKinds() throws {
        let error = try #require(configurationError("[[service]]\nkind = \"http\"\n"))
        #expect(error.line == 2)
        #expect(error.key == "kind")
        #expect(
            error.fix.contains(
                "web, smtp, pop3, tracker, seed, echo, discard, daytime, chargen, qotd, time, exec"))
        let missing = try #require(
            configurationError("[[service]]\nkind = \"echo\"\n\n[[service]]\nname = \"x\"\n"))
        #expect(missing.line == 4)
        #expect(missing.section == "service #2")
    }

    @Test func badEndpoint() throws {
        let error = try #require(
            configurationError(
                "[[service]]\nkind = \"echo\"\n[[service]]\nkind = \"web\"\nlisten = [\":80\", \"x:99999\"]\n"
            ))
        #expect(error.line == 5)
        #expect(error.key == "listen")
        #expect(
            error.description
                == "door.toml:5: service \"web\": key \"listen\": "
                + "cannot parse endpoint \"x:99999\": port must be 0–65535; write listen = [\":8080\"]"
        )
        let admin = try #require(configurationError("[admin]\n\nlisten = \"nowhere\"\n"))
        #expect(admin.line == 3)
        #expect(admin.section == "[admin]")
        let inline = try #require(configurationError("data = \"d\"\nadmin = { listen = \"nowhere\" }\n"))
        #expect(inline.line == 2)
        #expect(inline.key == "listen")
    }

    @Test func badTransport() throws {
        let unknown = try #require(configurationError("[[service]]\nkind = \"echo\"\ntransport = \"sctp\"\n"))
        #expect(unknown.line == 3)
        #expect(unknown.key == "transport")
        #expect(unknown.message == "unknown transport \"sctp\"")
        let unsupported = try #require(
            configurationError("[[service]]\nkind = \"web\"\ntransport = [\"tcp\", \"udp\"]\n"))
        #expect(unsupported.line == 3)
        #expect(unsupported.message == "a web service cannot serve over udp")
        let unixWithoutPath = try #require(
            configurationError("[[service]]\nkind = \"echo\"\ntransport = \"unix\"\n"))
        #expect(unixWithoutPath.key == "transport")
        let pathWithoutUnix = try #require(
            configurationError("[[service]]\nkind = \"echo\"\nlisten = \"unix:/tmp/e\"\ntransport = \"tcp\"\n"))
        #expect(pathWithoutUnix.line == 4)
    }

    @Test func parameterThatMakesNoSenseForTheTransport() throws {
        let error = try #require(configurationError("[[service]]\nkind = \"echo\"\n# tcp only\nmss = 1400\n"))
        #expect(error.line == 4)
        #expect(error.key == "mss")
        #expect(error.message.contains("udp"))
        #expect(error.fix == "remove mss, or write transport = [\"tcp\"]")
        let backlog = try #require(
            configurationError("[[service]]\nkind = \"time\"\ntransport = \"udp\"\nbacklog = 10\n"))
        #expect(backlog.line == 4)
        #expect(backlog.key == "backlog")
        let keepalive = try #require(configurationError("[[service]]\nkind = \"qotd\"\nkeepalive-idle = 10\n"))
        #expect(keepalive.line == 3)
        #expect(keepalive.key == "keepalive-idle")
        #expect(
            try parseConfiguration("[[service]]\nkind = \"echo\"\ntransport = \"tcp\"\nmss = 1400\n").services.count
                == 1)
    }

    @Test func parameterOutOfRange() throws {
        let mss = try #require(configurationError("[[service]]\nkind = \"web\"\nmss = 10\n"))
        #expect(mss.line == 3)
        #expect(mss.key == "mss")
        #expect(mss.message.contains("88–32767"))
        let idle = try #require(configurationError("[[service]]\nkind = \"web\"\n\nidle-timeout = 0\n"))
        #expect(idle.line == 4)
        #expect(idle.key == "idle-timeout")
        let count = try #require(
            configurationError("[[service]]\nkind = \"web\"\nkeepalive = true\nkeepalive-count = 500\n"))
        #expect(count.line == 4)
        #expect(count.key == "keepalive-count")
        let buffer = try #require(configurationError("[[service]]\nkind = \"web\"\nsend-buffer = -1\n"))
        #expect(buffer.key == "send-buffer")
        #expect(buffer.line == 3)
    }

    @Test func duplicateServiceNames() throws {
        let error = try #require(
            configurationError(
                "[[service]]\nkind = \"echo\"\nlisten = \":7001\"\n[[service]]\nkind = \"echo\"\nlisten = \":7002\"\n"
            ))
        #expect(error.line == 4)
        #expect(error.key == "name")
        #expect(error.message.contains("line 1"))
        let named = try #require(
            configurationError(
                "[[service]]\nkind = \"web\"\nname = \"a\"\n[[service]]\nkind = \"echo\"\nname = \"a\"\n"))
        #expect(named.line == 6)
        #expect(named.message.contains("line 3"))
    }

    @Test func execNeedsAProgramAndAPort() throws {
        let error = try #require(configurationError("[[service]]\nkind = \"exec\"\nlisten = \":7777\"\n"))
        #expect(error.line == 1)
        #expect(error.key == "program")
        #expect(error.fix == "write program = \"/usr/games/fortune -s\"")
        let empty = try #require(
            configurationError("[[service]]\nkind = \"exec\"\nlisten = \":7777\"\nprogram = \"\"\n"))
        #expect(empty.line == 4)
        let noPort = try #require(configurationError("[[service]]\nkind = \"exec\"\nprogram = \"/bin/cat\"\n"))
        #expect(noPort.key == "listen")
        // Split as `door listen --exec` splits it, so an unclosed quote is an error here, not at the first
        // connection.
        let unclosed = try #require(
            configurationError("[[service]]\nkind = \"exec\"\nlisten = \":7777\"\nprogram = \"/bin/echo 'hi\"\n"))
        #expect(unclosed.line == 4 && unclosed.key == "program")
        #expect(unclosed.message.contains("unclosed quote"), "\(unclosed)")
    }

    @Test(arguments: [
        ("max-connections", "web"), ("max-size", "smtp"), ("max-recipients", "smtp"),
        ("interval", "tracker"),
        ("max-torrents", "tracker"), ("max-peers", "tracker"),
    ])
    func zeroOrNegativeLimits(key: String, kind: String) throws {
        for value in [0, -5] {
            let error = try #require(configurationError("[[service]]\nkind = \"\(kind)\"\n\n\(key) = \(value)\n"))
            #expect(error.line == 4)
            #expect(error.key == key)
            #expect(error.message == "\(value) is not a limit: it must be at least 1")
        }
    }

    @Test func descriptionReadsFileLineSectionKeyMessageFix() {
        let error = ConfigurationError(
            file: "a.toml", line: 3, section: "service \"x\"", key: "k", message: "bad",
            fix: "write k = 1")
        #expect(error.description == "a.toml:3: service \"x\": key \"k\": bad; write k = 1")
        #expect(
            ConfigurationError(file: "a.toml", message: "bad", fix: "fix").description
                == "a.toml: bad; fix")
    }

    @Test func linesSurviveCommentsMultilineStringsAndArrays() throws {
        let error = try #require(
            configurationError(
                """
                # kind = "nothing"
                data = \"\"\"
                kind = "x"
                \"\"\"
                [[service]] # first
                kind = "web"
                listen = [
                    ":8080",
                ]
                rooot = "p"
                """))
        #expect(error.line == 10)
        #expect(error.key == "rooot")
    }
}

struct MixedTransportTests {
    @Test func tcpParametersAreRefusedWhenTheServiceAlsoListensOnAUnixSocket() throws {
        let error = try #require(
            configurationError(
                "[[service]]\nkind = \"web\"\nlisten = [\":8080\", \"unix:/tmp/w\"]\nno-delay = true\n"))
        #expect(error.line == 4)
        #expect(error.key == "no-delay")
        #expect(error.message.contains("unix"))
    }
}
