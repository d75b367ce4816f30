#!/usr/bin/env python3
"""Generate Sources/Doorway/ServiceRegistry+Table.swift from real registries.

Usage:
    python3 Scripts/generate-service-registry.py [WIRESHARK_SERVICES] [NETBASE_SERVICES]

    WIRESHARK_SERVICES  default /usr/share/wireshark/services
                        (Debian package `libwireshark-data`; Wireshark generates
                        it from IANA's "Service Name and Transport Protocol Port
                        Number Registry", service-names-port-numbers.csv)
    NETBASE_SERVICES    default /etc/services (Debian package `netbase`; a
                        curated registry with the traditional aliases such as
                        `smtp ... mail` and `http ... www`)

The output is deterministic (no timestamps), so re-running the script against
the same package versions reproduces the committed file byte for byte.
Standard library only.

Output: one line per entry inside a Swift raw string literal,

    name<TAB>port<TAB>transport<TAB>aliases<TAB>description

  name         IANA service name, lowercased (netbase's name only when IANA has
               no entry for that port/transport)
  port         decimal, 0-65535
  transport    "tcp" or "udp"
  aliases      comma-separated, possibly empty
  description  IANA's short description; netbase's comment when IANA has none;
               possibly empty

Every line has exactly five fields (four tabs), even when the last ones are
empty.

Selection rules
---------------
* Only the tcp and udp transports (sctp, dccp and ddp are skipped).
* Every entry for ports 0-1023 (IANA "system ports") from either source.
* Registered ports 1024-49151 only when the port/transport appears in netbase's
  /etc/services.  Netbase's few dynamic-range entries (>49151) are skipped.
* Pinned entries that must be present (see PINNED below): submission 587/tcp,
  imaps 993/tcp, pop3s 995/tcp, bittorrent 6881/tcp+udp, http-alt 8080/tcp+udp.

Merging rules
-------------
* IANA's lowercased name is the primary name.  Netbase's aliases for the same
  port/transport are attached; where netbase's primary name differs from IANA's
  for the same port/transport, netbase's name becomes an alias too
  (e.g. IANA `imap` 143/tcp gets alias `imap2`, IANA `urd` 465/tcp gets
  `submissions,ssmtp,smtps`).
* Aliases are lowercased, de-duplicated, and never equal to the entry's own
  name.
* IANA port *ranges* (e.g. `x11 6000-6063/tcp`) are never expanded into many
  entries.  They only supply IANA's description (and, at the range's first
  port, IANA's name) for single ports that netbase lists inside the range:
  x11 6000/tcp, and x11-1 .. x11-7 on 6001-6007/tcp keep netbase's names.
* Names that are not plausible service names (the Wireshark file contains the
  mangled `Escale-(Newton` for IANA's "newton-dock") are skipped with a warning.

Uniqueness: (name, transport) never maps to two ports
-----------------------------------------------------
IANA lists some names on several ports for the same transport (compressnet 2
and 3, msp 18 and 2438, http-alt 591, 8008 and 8080, ...).  For such a name we
keep only the LOWEST port and drop the entries on the other ports entirely --
except for PINNED entries, whose port always wins (so http-alt is 8080, not
591; the FileMaker http-alt 591 and http-alt 8008 entries are dropped).
The same rule is then applied to aliases: an alias that is some other entry's
primary name on the same transport is removed, and an alias used by several
entries on one transport is kept only on the lowest port.

Raw-string safety
-----------------
Fields never contain tabs or newlines (all whitespace runs collapse to one
space), and the sequences `"#` (which covers the literal's terminator) and `\\#`
(raw-string escape/interpolation) are removed, so the data cannot break out of
the Swift raw string literal.  No line starts with whitespace.
"""

import hashlib
import os
import re
import subprocess
import sys
from collections import defaultdict

SCRIPT_NAME = "Scripts/generate-service-registry.py"
DEFAULT_WIRESHARK = "/usr/share/wireshark/services"
DEFAULT_NETBASE = "/etc/services"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPO_ROOT, "Sources", "Doorway", "ServiceRegistry+Table.swift")

TRANSPORTS = ("tcp", "udp")
TRANSPORT_ORDER = {"tcp": 0, "udp": 1}
SYSTEM_PORT_MAX = 1023
REGISTERED_PORT_MAX = 49151
MAX_OUTPUT_BYTES = 400 * 1024

VALID_NAME = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")

# Entries that must be present.  Any of these missing from both sources is
# added by hand with the name/description given here.
#   bittorrent 6881: IANA has never assigned 6881 (it is unassigned in the
#   registry and absent from netbase); it is added by hand because BitTorrent
#   clients conventionally listen there (6881-6889).
PINNED = [
    # (name, port, transport, description used only if the sources lack one)
    ("submission", 587, "tcp", "Message Submission"),
    ("imaps", 993, "tcp", "IMAP over TLS protocol"),
    ("pop3s", 995, "tcp", "POP3 over TLS protocol"),
    ("bittorrent", 6881, "tcp", "BitTorrent (conventional port, not IANA-assigned)"),
    ("bittorrent", 6881, "udp", "BitTorrent (conventional port, not IANA-assigned)"),
    ("http-alt", 8080, "tcp", "HTTP Alternate (see port 80)"),
    ("http-alt", 8080, "udp", "HTTP Alternate (see port 80)"),
]

# Sanity check: these (name, port, transport) must end up in the table.
REQUIRED = [
    ("echo", 7, "tcp"), ("echo", 7, "udp"),
    ("discard", 9, "tcp"), ("discard", 9, "udp"),
    ("daytime", 13, "tcp"), ("daytime", 13, "udp"),
    ("qotd", 17, "tcp"), ("qotd", 17, "udp"),
    ("chargen", 19, "tcp"), ("chargen", 19, "udp"),
    ("ftp", 21, "tcp"),
    ("ssh", 22, "tcp"),
    ("telnet", 23, "tcp"),
    ("smtp", 25, "tcp"),
    ("time", 37, "tcp"), ("time", 37, "udp"),
    ("domain", 53, "tcp"), ("domain", 53, "udp"),
    ("http", 80, "tcp"),
    ("pop3", 110, "tcp"),
    ("imap", 143, "tcp"),
    ("https", 443, "tcp"),
    ("submission", 587, "tcp"),
    ("imaps", 993, "tcp"),
    ("pop3s", 995, "tcp"),
    ("bittorrent", 6881, "tcp"), ("bittorrent", 6881, "udp"),
    ("http-alt", 8080, "tcp"), ("http-alt", 8080, "udp"),
]


def warn(msg):
    print("warning: " + msg, file=sys.stderr)


def clean(text):
    """Make a field safe for a tab-separated line inside a Swift raw string."""
    text = re.sub(r"\s+", " ", text)  # tabs, newlines, runs of spaces -> one space
    # Remove raw-string terminators/escapes until none remain.
    prev = None
    while prev != text:
        prev = text
        text = text.replace('"#', '"').replace("\\#", "\\")
    return text.strip()


def parse_services(path):
    """Parse a services(5)-style file.

    Yields (name, lo_port, hi_port, [transports], [aliases], comment).
    Accepts Wireshark's merged `port/tcp/udp` form and `lo-hi` ranges.
    """
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            body, _, comment = line.partition("#")
            fields = body.split()
            if len(fields) < 2:
                warn("%s:%d: unparseable line %r" % (path, lineno, line))
                continue
            name, portspec, aliases = fields[0], fields[1], fields[2:]
            parts = portspec.split("/")
            if len(parts) < 2:
                warn("%s:%d: no transport in %r" % (path, lineno, portspec))
                continue
            ports = parts[0]
            m = re.fullmatch(r"(\d+)(?:-(\d+))?", ports)
            if not m:
                warn("%s:%d: bad port %r" % (path, lineno, ports))
                continue
            lo = int(m.group(1))
            hi = int(m.group(2)) if m.group(2) else lo
            yield name, lo, hi, [t.lower() for t in parts[1:]], aliases, comment.strip()


def package_version(pkg):
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", pkg],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        return out or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def iana_date_from_header(path):
    """Return a registry date if the file's header comments state one."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            m = re.search(r"(\d{4}-\d{2}-\d{2})", line)
            if m and re.search(r"updated|date|revision|version|last", line, re.I):
                return m.group(1)
    return None


def main(argv):
    wireshark_path = argv[1] if len(argv) > 1 else DEFAULT_WIRESHARK
    netbase_path = argv[2] if len(argv) > 2 else DEFAULT_NETBASE

    # ---- IANA (via Wireshark) --------------------------------------------
    # exact[(port, transport)] = (name, description)   single-port entries
    # ranges[transport] = [(lo, hi, name, description)]
    iana = {}
    iana_ranges = defaultdict(list)
    for name, lo, hi, transports, _aliases, comment in parse_services(wireshark_path):
        lname = name.lower()
        if not VALID_NAME.match(lname):
            warn("skipping implausible IANA service name %r (%d/%s)"
                 % (name, lo, "/".join(transports)))
            continue
        for t in transports:
            if t not in TRANSPORTS:
                continue
            if lo == hi:
                key = (lo, t)
                if key in iana:
                    # The Wireshark file keeps one name per port/transport;
                    # should that ever change, the first one listed wins.
                    continue
                iana[key] = (lname, clean(comment))
            else:
                iana_ranges[t].append((lo, hi, lname, clean(comment)))

    def iana_lookup(port, t, netbase_name):
        if (port, t) in iana:
            return iana[(port, t)]
        for lo, hi, name, desc in iana_ranges[t]:
            if lo <= port <= hi:
                # Inside a range, IANA's name only stands for the first port;
                # elsewhere keep netbase's per-port name (x11-1 6001/tcp) and
                # borrow IANA's description.
                if port == lo or netbase_name is None:
                    return name, desc
                return netbase_name, desc
        return None

    # ---- netbase ---------------------------------------------------------
    # netbase[(port, transport)] = (name, [aliases], comment)
    netbase = {}
    for name, lo, hi, transports, aliases, comment in parse_services(netbase_path):
        if lo != hi:
            continue
        for t in transports:
            if t not in TRANSPORTS:
                continue
            key = (lo, t)
            if key in netbase:
                continue
            netbase[key] = (name.lower(), [a.lower() for a in aliases], clean(comment))

    # ---- selection -------------------------------------------------------
    selected = set()
    for (port, t) in iana:
        if port <= SYSTEM_PORT_MAX:
            selected.add((port, t))
    for (port, t) in netbase:
        if port <= REGISTERED_PORT_MAX:
            selected.add((port, t))
    pinned_keys = {}
    for name, port, t, _desc in PINNED:
        selected.add((port, t))
        pinned_keys[(port, t)] = name

    # ---- merge -----------------------------------------------------------
    # entries[(port, t)] = [name, aliases(list), description]
    entries = {}
    for key in selected:
        port, t = key
        nb = netbase.get(key)
        ia = iana_lookup(port, t, nb[0] if nb else None)
        if ia:
            name, desc = ia
        elif nb:
            name, desc = nb[0], ""
        else:
            name, desc = None, ""
        aliases = []
        if nb:
            nb_name, nb_aliases, nb_comment = nb
            aliases = [nb_name] + nb_aliases
            if not desc:
                desc = nb_comment
        if key in pinned_keys:
            pin_name = pinned_keys[key]
            if name is None:
                # Not in either source: added by hand (bittorrent 6881).
                name = pin_name
                desc = next(d for n, p, tt, d in PINNED if (p, tt) == key)
            elif name != pin_name:
                sys.exit("error: pinned %s %d/%s is %r in the sources"
                         % (pin_name, port, t, name))
        if name is None:
            continue
        seen = {name}
        uniq = []
        for a in aliases:
            a = clean(a)
            if a and a not in seen and VALID_NAME.match(a):
                seen.add(a)
                uniq.append(a)
        entries[key] = [name, uniq, desc]

    # ---- uniqueness of (name, transport) ---------------------------------
    by_name = defaultdict(list)
    for (port, t), (name, _a, _d) in entries.items():
        by_name[(name, t)].append(port)
    for (name, t), ports in sorted(by_name.items()):
        if len(ports) < 2:
            continue
        pinned_ports = [p for p in ports if pinned_keys.get((p, t)) == name]
        keep = min(pinned_ports) if pinned_ports else min(ports)
        for p in ports:
            if p != keep:
                del entries[(p, t)]
        print("note: %s/%s listed on ports %s; kept %d"
              % (name, t, ",".join(map(str, sorted(ports))), keep), file=sys.stderr)

    primary = {(e[0], t) for (p, t), e in entries.items()}
    alias_owner = {}
    for key in sorted(entries, key=lambda k: (k[0], TRANSPORT_ORDER[k[1]])):
        port, t = key
        kept = []
        for a in entries[key][1]:
            if (a, t) in primary or (a, t) in alias_owner:
                continue
            alias_owner[(a, t)] = port
            kept.append(a)
        entries[key][1] = kept

    rows = sorted(
        ((e[0], p, t, ",".join(e[1]), e[2]) for (p, t), e in entries.items()),
        key=lambda r: (r[1], TRANSPORT_ORDER[r[2]], r[0]),
    )

    # ---- checks ----------------------------------------------------------
    have = {(r[0], r[1], r[2]) for r in rows}
    missing = [x for x in REQUIRED if x not in have]
    if missing:
        sys.exit("error: required entries missing: %r" % missing)
    names_seen = {}
    for r in rows:
        for n in [r[0]] + (r[3].split(",") if r[3] else []):
            k = (n, r[2])
            if k in names_seen and names_seen[k] != r[1]:
                sys.exit("error: %s/%s on ports %d and %d" % (n, r[2], names_seen[k], r[1]))
            names_seen[k] = r[1]
    lines = []
    for r in rows:
        line = "%s\t%d\t%s\t%s\t%s" % r
        assert "\n" not in line and '"#' not in line and "\\#" not in line
        assert line.count("\t") == 4 and not line[0].isspace()
        lines.append(line)

    # ---- output ----------------------------------------------------------
    ws_ver = package_version("libwireshark-data")
    nb_ver = package_version("netbase")
    iana_date = iana_date_from_header(wireshark_path)
    header = [
        "// GENERATED FILE - DO NOT EDIT.",
        "//",
        "// Generated by %s from:" % SCRIPT_NAME,
        "//   %s (Debian package libwireshark-data %s)" % (wireshark_path, ws_ver),
        "//     sha256 %s" % sha256(wireshark_path),
        "//     derived from IANA's Service Name and Transport Protocol Port Number Registry",
        "//     (service-names-port-numbers); IANA registry date: %s"
        % (iana_date or "not stated in the file's header"),
        "//   %s (Debian package netbase %s)" % (netbase_path, nb_ver),
        "//     sha256 %s" % sha256(netbase_path),
        "//",
        "// Regenerate with:",
        "//   apt-get install -y libwireshark-data && python3 %s" % SCRIPT_NAME,
        "//",
        "// One entry per line: name<TAB>port<TAB>transport<TAB>aliases<TAB>description",
        "// (aliases comma-separated; aliases and description may be empty).",
        "// %d entries." % len(lines),
        "",
    ]
    body = ["let serviceRegistryTable: String = #\"\"\""] + lines + ["\"\"\"#", ""]
    text = "\n".join(header + body)
    size = len(text.encode("utf-8"))
    if size > MAX_OUTPUT_BYTES:
        sys.exit("error: output is %d bytes, over the %d byte budget" % (size, MAX_OUTPUT_BYTES))
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)

    # ---- stats -----------------------------------------------------------
    system_ports = {r[1] for r in rows if r[1] <= SYSTEM_PORT_MAX}
    all_names = {r[0] for r in rows}
    all_with_aliases = set(all_names)
    for r in rows:
        if r[3]:
            all_with_aliases.update(r[3].split(","))
    print("wrote %s (%d bytes)" % (os.path.relpath(OUTPUT, REPO_ROOT), size))
    print("entries: %d (tcp %d, udp %d)" % (
        len(rows), sum(r[2] == "tcp" for r in rows), sum(r[2] == "udp" for r in rows)))
    print("distinct names: %d (primary), %d (including aliases)"
          % (len(all_names), len(all_with_aliases)))
    print("ports 0-1023 covered: %d of 1024" % len(system_ports))
    print("sources: libwireshark-data %s, netbase %s, IANA date %s"
          % (ws_ver, nb_ver, iana_date or "not stated"))


if __name__ == "__main__":
    main(sys.argv)
