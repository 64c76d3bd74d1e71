#!/usr/bin/env python3
"""A crowd of BGP speakers in one asyncio process (restarts_lab.sh, thousand_peers).

usage: crowd.py list COUNT
         prints "ADDRESS PREFIX" for each speaker
       crowd.py run REMOTE MY_AS NEXT_HOP COUNT STATS_FILE [START_MS]
         runs them: listening at once, connecting the moment REMOTE's first connection
         arrives (it is then dialling all of them: collisions) or at START_MS (Unix time, ms)

Speaker i has the address 10.99.<i/250>.<i%250+1> (on the crowd namespace's lo) and
announces 10.98.<i/4>.<i%4*64>/26 with NEXT_HOP (the crowd's address on the bridge: the
kernel wants an on-link gateway). All COUNT speakers connect to REMOTE at the same moment,
from their own addresses, with OPENs offering 4-octet AS and IPv4 unicast; each answers
keepalives and announces its prefix, then End-of-RIB. The process also listens on port 179
for REMOTE's own connection attempts and resolves collisions the RFC 4271 6.8 way (the
connection initiated by the higher BGP identifier stays; none against an Established session).
Every second it writes STATS_FILE (JSON): Established now, sessions that went down after being
Established (resets), collisions, incoming connections, NOTIFICATIONs received.
"""

import asyncio
import json
import os
import resource
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                                "workloads"))
from churn_peers import KEEPALIVE, attr, msg, open_msg  # noqa: E402  (BGP framing, shared)

MARKER = b"\xff" * 16
HOLD = 90


def address(i):
    return "10.99.%d.%d" % (i // 250, i % 250 + 1)


def prefix(i):
    return "10.98.%d.%d/26" % (i // 4, i % 4 * 64)


def ip_int(a):
    return struct.unpack("!I", socket.inet_aton(a))[0]


END_OF_RIB = msg(2, b"\x00\x00\x00\x00")
CEASE_COLLISION = msg(3, bytes([6, 7]))


def update(my_as, next_hop, pfx):
    net, length = pfx.split("/")
    length = int(length)
    nlri = bytes([length]) + socket.inet_aton(net)[: (length + 7) // 8]
    attrs = (attr(0x40, 1, b"\x00") + attr(0x40, 2, b"\x02\x01" + struct.pack("!I", my_as)) +
             attr(0x40, 3, socket.inet_aton(next_hop)))
    return msg(2, b"\x00\x00" + struct.pack("!H", len(attrs)) + attrs + nlri)


async def read_msg(reader):
    head = await reader.readexactly(19)
    if head[:16] != MARKER:
        raise ValueError("bad marker")
    length, typ = struct.unpack("!HB", head[16:19])
    body = await reader.readexactly(length - 19) if length > 19 else b""
    return typ, body


STATS = {
    "count": 0, "established": 0, "ever_established": 0, "resets": 0, "collisions": 0,
    "incoming": 0, "connect_errors": 0, "notifications": {}, "updates_in": 0,
    "all_established_s": None, "start_unix_ms": None, "closed_by_remote": 0,
}
GO = None  # set by REMOTE's first connection
# Set once every speaker's first connection attempt is under way: REMOTE's connections wait for
# it before the OPEN exchange, so both connections of a speaker are opening at once.
DIALLED = None


class Conn:
    def __init__(self, reader, writer, outgoing):
        self.reader, self.writer, self.outgoing = reader, writer, outgoing
        self.got_open = False

    def close(self, last=b""):
        try:
            if last:
                self.writer.write(last)
            self.writer.close()
        except Exception:
            pass


class Speaker:
    def __init__(self, i, remote, my_as, next_hop):
        self.addr, self.prefix = address(i), prefix(i)
        self.remote, self.my_as, self.next_hop = remote, my_as, next_hop
        self.conns = set()  # connections in OPEN exchange
        self.session = None  # the Established connection
        self.ever = False
        self.down = asyncio.Event()

    async def connect_loop(self):
        first = True
        while True:
            if self.session is None and not self.conns:
                try:
                    r, w = await asyncio.open_connection(self.remote, 179,
                                                         local_addr=(self.addr, 0))
                except OSError:
                    STATS["connect_errors"] += 1
                    r = None
                if first:
                    first = False
                    dialled()
                if r is not None:
                    await self.run(Conn(r, w, True))
            if self.session is not None:
                self.down.clear()
                await self.down.wait()
            await asyncio.sleep(1.0)

    async def run(self, c):
        if not c.outgoing:
            await DIALLED.wait()
        self.conns.add(c)
        try:
            await self.handshake(c)
        except asyncio.IncompleteReadError:
            # REMOTE closed it: a collision it resolved (or a connection it refused).
            STATS["closed_by_remote"] += 1
            c.close()
            return
        except (OSError, ValueError, asyncio.TimeoutError):
            c.close()
            return
        finally:
            self.conns.discard(c)
        if self.session is not c:
            return
        await self.established(c)

    async def expect(self, c, want):
        """The body of the next message of type WANT on c; a NOTIFICATION ends the handshake."""
        while True:
            typ, body = await asyncio.wait_for(read_msg(c.reader), 60)
            if typ == 3:
                note(body)
                raise ValueError("notification")
            if typ == want:
                return body

    async def handshake(self, c):
        c.writer.write(open_msg(self.my_as, self.addr, HOLD))
        body = await self.expect(c, 1)
        c.got_open = True
        remote_id = ip_int(socket.inet_ntoa(body[5:9]))
        hold = struct.unpack("!H", body[3:5])[0]
        # RFC 4271 6.8: against an Established session the new connection goes; between two
        # opening ones, the one initiated by the higher BGP identifier stays.
        if self.session is not None:
            STATS["collisions"] += 1
            c.close(CEASE_COLLISION)
            raise ValueError("collision with an Established session")
        for other in list(self.conns):
            if other is c or not other.got_open:
                continue
            STATS["collisions"] += 1
            we_higher = ip_int(self.addr) > remote_id
            if c.outgoing == we_higher:
                other.close(CEASE_COLLISION)
                self.conns.discard(other)
            else:
                c.close(CEASE_COLLISION)
                raise ValueError("collision lost")
        c.writer.write(KEEPALIVE)
        await self.expect(c, 4)
        if self.session is not None:  # the other connection got there first
            STATS["collisions"] += 1
            c.close(CEASE_COLLISION)
            raise ValueError("collision with an Established session")
        self.session = c
        c.hold = min(hold, HOLD)

    async def established(self, c):
        STATS["established"] += 1
        if not self.ever:
            self.ever = True
            STATS["ever_established"] += 1
            if STATS["ever_established"] == STATS["count"]:
                STATS["all_established_s"] = round(time.monotonic() - T0, 3)
                print("all %d established after %.3f s" % (STATS["count"],
                                                           STATS["all_established_s"]),
                      flush=True)
        c.writer.write(update(self.my_as, self.next_hop, self.prefix) + END_OF_RIB)
        ka = asyncio.ensure_future(self.keepalives(c))
        try:
            while True:
                typ, body = await read_msg(c.reader)
                if typ == 2:
                    STATS["updates_in"] += 1
                elif typ == 3:
                    note(body)
                    break
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        ka.cancel()
        c.close()
        STATS["established"] -= 1
        STATS["resets"] += 1
        print("session %s went down after Established" % self.addr, flush=True)
        self.session = None
        self.down.set()

    async def keepalives(self, c):
        interval = max(1.0, c.hold / 3) if c.hold else 30
        while True:
            await asyncio.sleep(interval)
            c.writer.write(KEEPALIVE)


def dialled():
    STATS["dialled"] = STATS.get("dialled", 0) + 1
    if STATS["dialled"] == STATS["count"]:
        DIALLED.set()


def note(body):
    key = "%d/%d" % (body[0], body[1]) if len(body) >= 2 else "?"
    STATS["notifications"][key] = STATS["notifications"].get(key, 0) + 1


async def write_stats(path):
    while True:
        with open(path + ".tmp", "w") as f:
            json.dump(STATS, f)
        os.replace(path + ".tmp", path)
        await asyncio.sleep(1)


async def main(remote, my_as, next_hop, count, stats_path, start_ms):
    global T0, GO, DIALLED
    GO = asyncio.Event()
    DIALLED = asyncio.Event()
    speakers = {}
    for i in range(count):
        s = Speaker(i, remote, my_as, next_hop)
        speakers[s.addr] = s
    STATS["count"] = count

    async def incoming(reader, writer):
        STATS["incoming"] += 1
        GO.set()
        s = speakers.get(writer.get_extra_info("sockname")[0])
        if s is None:
            writer.close()
            return
        await s.run(Conn(reader, writer, False))

    server = await asyncio.start_server(incoming, "0.0.0.0", 179, backlog=4096,
                                        reuse_address=True)
    asyncio.ensure_future(write_stats(stats_path))
    try:
        await asyncio.wait_for(GO.wait(), max(0.0, start_ms / 1000 - time.time()))
    except asyncio.TimeoutError:
        pass
    T0 = time.monotonic()
    STATS["start_unix_ms"] = int(time.time() * 1000)
    print("connecting %d speakers" % count, flush=True)
    await asyncio.gather(*(s.connect_loop() for s in speakers.values()))
    server.close()


if __name__ == "__main__":
    if sys.argv[1] == "list":
        for i in range(int(sys.argv[2])):
            print(address(i), prefix(i))
        sys.exit(0)
    # Two sockets a speaker at times (its own and REMOTE's): past the usual 1,024.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    T0 = time.monotonic()
    start = int(sys.argv[7]) if len(sys.argv) > 7 else 0
    asyncio.run(main(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6],
                     start))
