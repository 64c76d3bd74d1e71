#!/usr/bin/env python3
"""Prints every IPv4 route deleted from the kernel of this namespace, as `ip monitor` would
("Deleted 10.100.0.5", "Deleted 10.244.2.0/26"), for restarts_lab.sh's sigkill_during_churn.

`ip monitor` reads with the receive buffer net.core.rmem_max allows, and a churn of ten
thousand route changes a second overruns it on a busy machine; this listener forces a buffer
of 256 MiB (SO_RCVBUFFORCE, as root), so it loses nothing while it lags. Should the kernel drop
messages all the same, it says "overrun" on stderr. On SIGTERM it reads what is still queued,
then prints on stderr how many route messages it read.
"""

import os
import signal
import socket
import struct
import sys

NETLINK_ROUTE = 0
RTMGRP_IPV4_ROUTE = 0x40
SO_RCVBUFFORCE = 33
RTM_NEWROUTE, RTM_DELROUTE = 24, 25
RTA_DST = 1


def main():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 256 << 20)
    s.bind((0, RTMGRP_IPV4_ROUTE))
    seen = 0
    out = sys.stdout

    def stop(*_):
        s.setblocking(False)  # the loop ends once the queue is empty

    signal.signal(signal.SIGTERM, stop)
    print("listening", flush=True)
    while True:
        try:
            data = s.recv(1 << 20)
        except BlockingIOError:
            sys.stderr.write("messages %d\n" % seen)
            sys.stderr.flush()
            out.flush()
            os._exit(0)
        except OSError as e:
            sys.stderr.write("overrun: %s\n" % e)
            sys.stderr.flush()
            continue
        off = 0
        while off + 16 <= len(data):
            length, typ = struct.unpack_from("=IH", data, off)
            if length < 16:
                break
            if typ in (RTM_NEWROUTE, RTM_DELROUTE):
                seen += 1
            if typ == RTM_DELROUTE:
                dst_len = data[off + 17]
                dst = "0.0.0.0"
                a = off + 16 + 12
                while a + 4 <= off + length:
                    alen, atype = struct.unpack_from("=HH", data, a)
                    if alen < 4:
                        break
                    if atype == RTA_DST and alen >= 8:
                        dst = socket.inet_ntoa(data[a + 4:a + 8])
                    a += (alen + 3) & ~3
                out.write("Deleted %s\n" % (dst if dst_len == 32 else "%s/%d" % (dst, dst_len)))
            off += (length + 3) & ~3


if __name__ == "__main__":
    main()
