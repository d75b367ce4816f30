#!/bin/sh
# How Tests/DoorwayTorrentTests/Fixtures/TorrentFixtures.swift was made (needs mktorrent, transmission-cli and
# python3). Re-running changes the creation dates, so the expected info-hashes in RealTorrentTests must be updated
# from the `transmission-show` output.
set -eu
work="${TMPDIR:-/tmp}/door-torrent-fixtures"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
python3 - <<'PY'
import os
def gen(n, seed): return bytes(((i * seed + (i >> 8)) & 0xff) for i in range(n))
open('single.bin', 'wb').write(gen(100000, 7))
os.makedirs('multi/sub', exist_ok=True)
open('multi/a.txt', 'wb').write(b'hello torrent\n' * 1000)
open('multi/sub/b.bin', 'wb').write(gen(40000, 13))
open('multi/empty.txt', 'wb').write(b'')
open('multi/sub/c.dat', 'wb').write(gen(5000, 3))
PY
mktorrent -a http://tracker.example.com/announce -l 15 -o mk-single.torrent single.bin
mktorrent -a http://t1.example.com/announce,http://t1b.example.com/announce -a udp://t2.example.com:6969 \
    -l 15 -c "multi fixture" -o mk-multi.torrent multi
transmission-create -p -c "Doorway fixture" -t http://tr.example.org/announce -s 32 -o tr-single.torrent single.bin
for f in mk-single.torrent mk-multi.torrent tr-single.torrent; do
    transmission-show "$f" | grep -E "Name:|Hash:"
    base64 -w 100 "$f"
done
