#!/usr/bin/env bash
# capture_vectors.sh - capture real BGP messages exchanged between BIRD 2 and
# FRR running in two Linux network namespaces, and write them as hex test
# vectors (one BGP message per file) to tests/vectors/captured/.
#
# Usage (as root, needs: bird2 frr tshark tcpdump iproute2 python3):
#   interop/capture/capture_vectors.sh            # writes tests/vectors/captured/*.hex
#   OUT=/tmp/vec KEEP=1 interop/capture/capture_vectors.sh   # other dir, keep pcaps/logs
#
# Scenarios (each gets a fresh pair of namespaces joined by one veth pair,
# 10.99.0.1/24 + fd00:99::1/64 <-> 10.99.0.2/24 + fd00:99::2/64, nothing else):
#   main   BIRD AS 64512 <-> FRR AS 64513, IPv4 transport, IPv4+IPv6 unicast,
#          ADD-PATH, GR, LLGR, (enhanced) route refresh, extended messages,
#          FQDN, BGP role; route refresh both ways, withdrawals, and an FRR
#          administrative shutdown with a shutdown communication.   (bird.conf, frr.conf)
#   as4    BIRD AS 4200000001 <-> FRR AS 64513 over IPv6 transport, IPv4 NLRI
#          with IPv6 next hop (extended next hop), ends with "birdc disable"
#          with a shutdown communication.                           (bird-as4.conf, frr-as4.conf)
#   noas4  BIRD without the 4-octet AS capability <-> FRR AS 4200000002:
#          AS_TRANS, AS4_PATH, AS4_AGGREGATOR.                      (bird-noas4.conf, frr-noas4.conf)
#   badas  main BIRD config against an FRR expecting the wrong peer AS:
#          FRR answers with NOTIFICATION OPEN Message Error / Bad Peer AS.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-$REPO/tests/vectors/captured}
KEEP=${KEEP:-0}
NS1=terncap-bird          # BIRD side, veth v1
NS2=terncap-frr           # FRR side, veth v2
FRRLIB=/usr/lib/frr

log() { printf '[capture] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root (network namespaces)"
for t in ip bird birdc vtysh tshark tcpdump python3 "$FRRLIB/zebra" "$FRRLIB/bgpd"; do
  command -v "$t" >/dev/null 2>&1 || die "missing tool: $t"
done
for n in "$NS1" "$NS2"; do
  ! ip netns list | grep -qw "$n" || die "namespace $n already exists (stale run?)"
done

WORK=$(mktemp -d /tmp/tern-capture.XXXXXX)
chmod 755 "$WORK"
PIDFILES=()
TCPDUMP_PID=""
BIRD_PID=""
FRR_PATHSPACE_CREATED=0

# ---------------------------------------------------------------- cleanup ---
stop_pid() {            # stop_pid PID [signal]: signal, wait up to 5 s, then SIGKILL
  local pid=$1 sig=${2:-TERM} i
  [[ -n $pid ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -s "$sig" "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -s KILL "$pid" 2>/dev/null || true
}

lab_down() {
  local pf
  if [[ -n $TCPDUMP_PID ]]; then
    stop_pid "$TCPDUMP_PID" INT
    wait "$TCPDUMP_PID" 2>/dev/null || true
    TCPDUMP_PID=""
  fi
  for pf in "${PIDFILES[@]}"; do
    if [[ -s $pf ]]; then stop_pid "$(cat "$pf")"; fi
  done
  PIDFILES=()
  stop_pid "$BIRD_PID"
  BIRD_PID=""
  wait 2>/dev/null || true
  ip netns del "$NS1" 2>/dev/null || true
  ip netns del "$NS2" 2>/dev/null || true
  if [[ $FRR_PATHSPACE_CREATED == 1 ]]; then rm -rf "/var/run/frr/$NS2"; fi
}

cleanup() {
  local rc=$?
  lab_down
  if [[ $KEEP == 1 || $rc != 0 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------- lab ---
lab_up() {              # lab_up SCENARIO BIRD_CONF FRR_CONF
  local scen=$1 bconf=$2 fconf=$3 d=$WORK/$1
  mkdir -p "$d/frr"
  cp "$bconf" "$d/bird.conf"
  cp "$fconf" "$d/frr/frr.conf"
  : >"$d/frr/vtysh.conf"
  chown -R frr:frr "$d/frr"

  ip netns add "$NS1"
  ip netns add "$NS2"
  ip -n "$NS1" link add v1 type veth peer name v2 netns "$NS2"
  # fixed MACs -> deterministic IPv6 link-local next hops (fe80::ff:fe99:1 / :2)
  ip -n "$NS1" link set v1 address 02:00:00:99:00:01
  ip -n "$NS2" link set v2 address 02:00:00:99:00:02
  ip -n "$NS1" addr add 10.99.0.1/24 dev v1
  ip -n "$NS2" addr add 10.99.0.2/24 dev v2
  ip -n "$NS1" addr add fd00:99::1/64 dev v1 nodad
  ip -n "$NS2" addr add fd00:99::2/64 dev v2 nodad
  ip -n "$NS1" link set lo up; ip -n "$NS1" link set v1 up
  ip -n "$NS2" link set lo up; ip -n "$NS2" link set v2 up
  sleep 1

  ip netns exec "$NS1" tcpdump -i v1 -U -s 0 -w "$d/capture.pcap" 'tcp port 179' \
    >"$d/tcpdump.log" 2>&1 &
  TCPDUMP_PID=$!
  sleep 1.5

  [[ -d /var/run/frr/$NS2 ]] || FRR_PATHSPACE_CREATED=1
  local daemon
  for daemon in zebra bgpd; do
    PIDFILES+=("$d/frr/$daemon.pid")
    ip netns exec "$NS2" "$FRRLIB/$daemon" -d -N "$NS2" --vty_socket "$d/frr" \
      -i "$d/frr/$daemon.pid" -f "$d/frr/frr.conf" -u frr -g frr -z "$d/frr/zserv.api" \
      --log "file:$d/frr/$daemon.log" >"$d/frr/$daemon.out" 2>&1 \
      || die "$daemon failed to start, see $d/frr/$daemon.out"
    sleep 1
  done

  PIDFILES+=("$d/bird.pid")
  ip netns exec "$NS1" bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" \
    >"$d/bird.log" 2>&1 &
  BIRD_PID=$!
  sleep 1
  kill -0 "$BIRD_PID" 2>/dev/null || die "bird failed to start, see $d/bird.log"
  write_meta "$scen"
}

birdc_() { birdc -s "$WORK/$SCEN/bird.ctl" "$@"; }
vtysh_() { vtysh --config_dir "$WORK/$SCEN/frr" --vty_socket "$WORK/$SCEN/frr" -d bgpd "$@"; }
frr_conf() {            # frr_conf 'line' 'line' ... (in configure terminal)
  local args=(-c 'configure terminal') l
  for l in "$@"; do args+=(-c "$l"); done
  vtysh_ "${args[@]}" >/dev/null
}

wait_established() {    # wait_established FRR_NEIGHBOR_ADDR
  local i
  for i in $(seq 120); do
    if birdc_ show protocols frr 2>/dev/null | grep -q Established &&
       vtysh_ -c "show bgp neighbors $1 json" 2>/dev/null | grep -Eq '"bgpState": ?"Established"'; then
      log "$SCEN: session established"
      return 0
    fi
    sleep 0.5
  done
  birdc_ show protocols all frr >&2 || true
  die "$SCEN: session did not come up"
}

write_meta() {          # metadata consumed by the extractor below
  local scen=$1
  cat >"$WORK/$scen/meta.env" <<EOF
scenario=$scen
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
bird_version=$(bird --version 2>&1 | head -1) (Debian bird2 $(dpkg-query -W -f '${Version}' bird2 2>/dev/null || echo '?'))
frr_version=FRRouting $("$FRRLIB/bgpd" --version 2>/dev/null | head -1 | awk '{print $3}') (Debian frr $(dpkg-query -W -f '${Version}' frr 2>/dev/null || echo '?'))
EOF
}

# ------------------------------------------------------------- scenarios ---
SCEN=main
log "scenario main"
lab_up main "$HERE/bird.conf" "$HERE/frr.conf"
wait_established 10.99.0.1
sleep 5                                     # initial UPDATEs, End-of-RIB, KEEPALIVEs
log "main: birdc reload in frr (BIRD sends ROUTE-REFRESH, FRR answers BoRR/EoRR)"
birdc_ reload in frr >/dev/null
sleep 3
log "main: clear bgp soft in (FRR sends ROUTE-REFRESH, BIRD answers BoRR/EoRR)"
vtysh_ -c 'clear bgp ipv4 unicast 10.99.0.1 soft in' >/dev/null
vtysh_ -c 'clear bgp ipv6 unicast 10.99.0.1 soft in' >/dev/null
sleep 3
log "main: withdrawals"
birdc_ disable static4x >/dev/null
birdc_ disable static4b >/dev/null
birdc_ disable static6x >/dev/null
frr_conf 'router bgp 64513' 'address-family ipv4 unicast' \
         'no network 10.245.1.0/26' 'no network 10.245.3.0/26' 'exit-address-family' \
         'address-family ipv6 unicast' 'no network fd00:245:1::/64' 'no network fd00:245:3::/64'
sleep 3
log "main: FRR administrative shutdown with shutdown communication"
frr_conf 'router bgp 64513' 'neighbor 10.99.0.1 shutdown message maintenance window'
sleep 2
lab_down

SCEN=as4
log "scenario as4"
lab_up as4 "$HERE/bird-as4.conf" "$HERE/frr-as4.conf"
wait_established fd00:99::1
sleep 5
log "as4: birdc disable frr with shutdown communication"
birdc_ disable frr '"planned maintenance, back in 10 minutes"' >/dev/null
sleep 2
lab_down

SCEN=noas4
log "scenario noas4"
lab_up noas4 "$HERE/bird-noas4.conf" "$HERE/frr-noas4.conf"
wait_established 10.99.0.1
sleep 5
lab_down

SCEN=badas
log "scenario badas"
sed 's/neighbor 10.99.0.1 remote-as 64512/neighbor 10.99.0.1 remote-as 64599/' \
  "$HERE/frr.conf" >"$WORK/frr-badas.conf"
lab_up badas "$HERE/bird.conf" "$WORK/frr-badas.conf"
sleep 6                                     # FRR rejects BIRD's OPEN right away
lab_down

# ------------------------------------------------------------- extraction ---
log "extracting messages"
mkdir -p "$OUT"
rm -f "$OUT"/*.hex
python3 - "$WORK" "$OUT" main as4 noas4 badas <<'PY'
import collections, ipaddress, os, subprocess, sys

work, out, scenarios = sys.argv[1], sys.argv[2], sys.argv[3:]

PEERS = {   # address -> (name, AS)
    '10.99.0.1': 'bird', 'fd00:99::1': 'bird',
    '10.99.0.2': 'frr',  'fd00:99::2': 'frr',
}
TYPES = {1: 'OPEN', 2: 'UPDATE', 3: 'NOTIFICATION', 4: 'KEEPALIVE', 5: 'ROUTE-REFRESH'}
FAM = {(1, 1): 'ipv4', (2, 1): 'ipv6', (1, 2): 'ipv4-multicast', (2, 2): 'ipv6-multicast'}
def fam(afi, safi): return FAM.get((afi, safi), f'afi{afi}/safi{safi}')

# ------------------------------------------------------------ tcp streams
def read_streams(pcap):
    """Return list of (first_frame, src, sport, dst, dport, bytes) BGP messages."""
    cmd = ['tshark', '-r', pcap, '-Y', 'tcp.len > 0', '-T', 'fields', '-E', 'separator=\t',
           '-e', 'frame.number', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'tcp.srcport',
           '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'tcp.dstport', '-e', 'tcp.seq', '-e', 'tcp.payload']
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    segs = collections.defaultdict(dict)   # (src,sport,dst,dport) -> seq -> (frame, bytes)
    for line in res.stdout.splitlines():
        f = line.split('\t')
        frame, src4, src6, sport, dst4, dst6, dport, seq, payload = f
        key = (src4 or src6, int(sport), dst4 or dst6, int(dport))
        segs[key].setdefault(int(seq), (int(frame), bytes.fromhex(payload.replace(':', ''))))
    msgs = []
    for key, d in segs.items():
        buf, frames, nxt = bytearray(), [], None
        for seq in sorted(d):
            frame, data = d[seq]
            if nxt is not None and seq != nxt:
                if seq < nxt:      # overlapping retransmission
                    data = data[nxt - seq:]
                    if not data: continue
                else:
                    sys.exit(f'{pcap}: gap in TCP stream {key} at seq {seq}')
            start = seq if nxt is None else nxt
            frames += [frame] * len(data)
            buf += data
            nxt = start + len(data)
        off = 0
        while off + 19 <= len(buf):
            if buf[off:off + 16] != b'\xff' * 16:
                sys.exit(f'{pcap}: lost BGP framing in {key} at offset {off}')
            ln = int.from_bytes(buf[off + 16:off + 18], 'big')
            if off + ln > len(buf): break
            msgs.append((frames[off], key, bytes(buf[off:off + ln])))
            off += ln
    msgs.sort(key=lambda m: m[0])
    return msgs

# ---------------------------------------------------------------- OPEN
CAPS = {1: 'multiprotocol', 2: 'route-refresh', 5: 'extended-nexthop', 6: 'extended-message',
        9: 'role', 64: 'graceful-restart', 65: 'as4', 66: 'dynamic-old(FRR, deprecated code)', 67: 'dynamic', 69: 'add-path',
        70: 'enhanced-route-refresh', 71: 'long-lived-gr', 73: 'fqdn', 75: 'software-version',
        128: 'route-refresh(old cisco)', 131: 'fqdn?'}
ROLES = {0: 'provider', 1: 'rs', 2: 'rs-client', 3: 'customer', 4: 'peer'}
ADDPATH = {1: 'receive', 2: 'send', 3: 'send/receive'}

def parse_open(m):
    b = m[19:]
    info = {'version': b[0], 'as': int.from_bytes(b[1:3], 'big'), 'hold': int.from_bytes(b[3:5], 'big'),
            'id': str(ipaddress.IPv4Address(b[5:9])), 'caps': [], 'addpath': {}, 'mp': set(),
            'as4': None, 'extmsg': False}
    optlen, p = b[9], 10
    ext = False
    if optlen == 255 and b[10] == 255:      # RFC 9072 extended optional parameters
        optlen, p, ext = int.from_bytes(b[11:13], 'big'), 13, True
    end = p + optlen
    while p < end:
        ptype = b[p]
        if ext:
            plen, p = int.from_bytes(b[p + 1:p + 3], 'big'), p + 3
        else:
            plen, p = b[p + 1], p + 2
        if ptype != 2:
            info['caps'].append(f'opt-param-{ptype}'); p += plen; continue
        q, qend = p, p + plen
        while q < qend:
            code, clen = b[q], b[q + 1]
            v = b[q + 2:q + 2 + clen]
            q += 2 + clen
            name = CAPS.get(code, f'cap-{code}')
            if code == 1:
                f = fam(int.from_bytes(v[0:2], 'big'), v[3]); info['mp'].add(f); name += f'({f})'
            elif code == 5:
                t = []
                for i in range(0, len(v), 6):
                    t.append(f'{fam(int.from_bytes(v[i:i+2], "big"), int.from_bytes(v[i+2:i+4], "big"))}'
                             f' nh afi{int.from_bytes(v[i+4:i+6], "big")}')
                name += '(' + ', '.join(t) + ')'
            elif code == 6:
                info['extmsg'] = True
            elif code == 9:
                name += f'({ROLES.get(v[0], v[0])})'
            elif code == 64:
                fl = int.from_bytes(v[0:2], 'big')
                t = [f'R={fl >> 15 & 1}', f'N={fl >> 14 & 1}', f'time={fl & 0xfff}']
                for i in range(2, len(v), 4):
                    t.append(f'{fam(int.from_bytes(v[i:i+2], "big"), v[i+2])} F={v[i+3] >> 7}')
                name += '(' + ', '.join(t) + ')'
            elif code == 65:
                info['as4'] = int.from_bytes(v, 'big'); name += f'({info["as4"]})'
            elif code == 69:
                t = []
                for i in range(0, len(v), 4):
                    f = fam(int.from_bytes(v[i:i+2], 'big'), v[i+2])
                    info['addpath'][f] = v[i + 3]
                    t.append(f'{f} {ADDPATH.get(v[i+3], v[i+3])}')
                name += '(' + ', '.join(t) + ')'
            elif code == 71:
                t = []
                for i in range(0, len(v), 7):
                    t.append(f'{fam(int.from_bytes(v[i:i+2], "big"), v[i+2])} F={v[i+3] >> 7} '
                             f'stale={int.from_bytes(v[i+4:i+7], "big")}')
                name += '(' + ', '.join(t) + ')'
            elif code == 73:
                hl = v[0]; host = v[1:1 + hl].decode(errors='replace')
                dl = v[1 + hl]; dom = v[2 + hl:2 + hl + dl].decode(errors='replace')
                name += f'(host={host!r}, domain={dom!r})'
            elif code == 75:
                name += f'({v[1:1 + v[0]].decode(errors="replace")!r})'
            elif clen:
                name += f'(len {clen})'
            info['caps'].append(name)
        p = qend
    return info

def describe_open(m, info):
    return (f"OPEN version {info['version']}, My AS {info['as']}, hold time {info['hold']}, "
            f"BGP id {info['id']}, {len(info['caps'])} capabilities",
            ['capabilities: ' + '; '.join(info['caps'])])

# -------------------------------------------------------------- UPDATE
ATTRS = {1: 'ORIGIN', 2: 'AS_PATH', 3: 'NEXT_HOP', 4: 'MED', 5: 'LOCAL_PREF', 6: 'ATOMIC_AGGREGATE',
         7: 'AGGREGATOR', 8: 'COMMUNITIES', 9: 'ORIGINATOR_ID', 10: 'CLUSTER_LIST', 14: 'MP_REACH_NLRI',
         15: 'MP_UNREACH_NLRI', 16: 'EXTENDED_COMMUNITIES', 17: 'AS4_PATH', 18: 'AS4_AGGREGATOR',
         32: 'LARGE_COMMUNITIES', 35: 'OTC'}
SEG = {1: 'SET', 2: 'SEQ', 3: 'CONFED_SEQ', 4: 'CONFED_SET'}

def nlri(b, afi, addpath):
    out, p = [], 0
    alen = 4 if afi == 1 else 16
    while p < len(b):
        pid = None
        if addpath:
            pid = int.from_bytes(b[p:p + 4], 'big'); p += 4
        plen = b[p]; nb = (plen + 7) // 8
        raw = b[p + 1:p + 1 + nb] + bytes(alen - nb); p += 1 + nb
        a = ipaddress.IPv4Address(raw) if afi == 1 else ipaddress.IPv6Address(raw)
        out.append(f'{a}/{plen}' + (f' (path-id {pid})' if addpath else ''))
    return out

def aspath(v, w):
    segs, p = [], 0
    while p < len(v):
        t, n = v[p], v[p + 1]; p += 2
        asns = [int.from_bytes(v[p + i * w:p + (i + 1) * w], 'big') for i in range(n)]
        p += n * w
        segs.append(f'{SEG.get(t, t)} ' + ' '.join(map(str, asns)))
    return '[' + '; '.join(segs) + ']'

def extcomm(v):
    out = []
    for i in range(0, len(v), 8):
        e = v[i:i + 8]; t, st = e[0], e[1]
        kind = {2: 'rt', 3: 'soo'}.get(st, f'type 0x{t:02x}/0x{st:02x}')
        if t & 0x3f == 0x00:
            out.append(f'{kind} {int.from_bytes(e[2:4], "big")}:{int.from_bytes(e[4:8], "big")}')
        elif t & 0x3f == 0x02:
            out.append(f'{kind} {int.from_bytes(e[2:6], "big")}:{int.from_bytes(e[6:8], "big")}')
        elif t & 0x3f == 0x01:
            out.append(f'{kind} {ipaddress.IPv4Address(e[2:6])}:{int.from_bytes(e[6:8], "big")}')
        else:
            out.append(e.hex())
    return ' '.join(out)

def parse_update(m, neg):
    b = m[19:]
    wl = int.from_bytes(b[0:2], 'big')
    wd = b[2:2 + wl]
    al = int.from_bytes(b[2 + wl:4 + wl], 'big')
    attrs_b = b[4 + wl:4 + wl + al]
    nl = b[4 + wl + al:]
    u = {'withdrawn': {}, 'nlri': {}, 'attrs': [], 'codes': [], 'nh': {}}
    if wd: u['withdrawn']['ipv4'] = nlri(wd, 1, neg['addpath'].get('ipv4'))
    if nl: u['nlri']['ipv4'] = nlri(nl, 1, neg['addpath'].get('ipv4'))
    p = 0
    w = 4 if neg['as4'] else 2
    while p < len(attrs_b):
        fl, code = attrs_b[p], attrs_b[p + 1]
        if fl & 0x10:
            ln, p = int.from_bytes(attrs_b[p + 2:p + 4], 'big'), p + 4
        else:
            ln, p = attrs_b[p + 2], p + 3
        v = attrs_b[p:p + ln]; p += ln
        name = ATTRS.get(code, f'ATTR{code}')
        u['codes'].append(code)
        if code == 1: s = {0: 'IGP', 1: 'EGP', 2: 'INCOMPLETE'}.get(v[0], v[0])
        elif code == 2: s = aspath(v, w)
        elif code == 17: s = aspath(v, 4)
        elif code == 3: s = str(ipaddress.IPv4Address(v))
        elif code in (4, 5): s = str(int.from_bytes(v, 'big'))
        elif code == 6: s = ''
        elif code in (7, 18):
            aw = len(v) - 4
            s = f'AS {int.from_bytes(v[:aw], "big")} id {ipaddress.IPv4Address(v[aw:])}'
        elif code == 8:
            s = ' '.join(f'{int.from_bytes(v[i:i+2], "big")}:{int.from_bytes(v[i+2:i+4], "big")}'
                         for i in range(0, len(v), 4))
        elif code == 16: s = extcomm(v)
        elif code == 32:
            s = ' '.join(':'.join(str(int.from_bytes(v[i + j:i + j + 4], 'big')) for j in (0, 4, 8))
                         for i in range(0, len(v), 12))
        elif code == 35: s = str(int.from_bytes(v, 'big'))
        elif code == 14:
            afi, safi, nhl = int.from_bytes(v[0:2], 'big'), v[2], v[3]
            nh = v[4:4 + nhl]
            if nhl in (16, 32):
                nhs = [str(ipaddress.IPv6Address(nh[i:i + 16])) for i in range(0, nhl, 16)]
            elif nhl == 4:
                nhs = [str(ipaddress.IPv4Address(nh))]
            else:
                nhs = [nh.hex()]
            f = fam(afi, safi)
            u['nlri'].setdefault(f, []).extend(nlri(v[5 + nhl:], afi, neg['addpath'].get(f)))
            u['nh'][f] = nhs
            s = f'{f} next-hop {" + ".join(nhs)} ({nhl} bytes), {len(v[5 + nhl:])} NLRI bytes'
        elif code == 15:
            afi, safi = int.from_bytes(v[0:2], 'big'), v[2]
            f = fam(afi, safi)
            wl_ = nlri(v[3:], afi, neg['addpath'].get(f))
            if wl_: u['withdrawn'].setdefault(f, []).extend(wl_)
            s = f'{f}, {len(v) - 3} withdrawn bytes'
            u.setdefault('mp_unreach_fams', []).append(f)
        else:
            s = v.hex()
        u['attrs'].append(f'{name}(flags 0x{fl:02x})' + (f'={s}' if s != '' else ''))
    return u

def eor_family(m, u):
    if len(m) == 23: return 'ipv4'
    if not u['nlri'] and not u['withdrawn'] and u['codes'] == [15]:
        return u['mp_unreach_fams'][0]
    return None

# -------------------------------------------------------- NOTIFICATION
ERR = {1: 'Message Header Error', 2: 'OPEN Message Error', 3: 'UPDATE Message Error',
       4: 'Hold Timer Expired', 5: 'FSM Error', 6: 'Cease', 7: 'ROUTE-REFRESH Message Error'}
SUB = {(2, 2): 'Bad Peer AS', (2, 7): 'Unsupported Capability', (2, 11): 'Role Mismatch',
       (6, 1): 'Maximum Number of Prefixes Reached', (6, 2): 'Administrative Shutdown',
       (6, 3): 'Peer De-configured', (6, 4): 'Administrative Reset', (6, 5): 'Connection Rejected',
       (6, 6): 'Other Configuration Change', (6, 7): 'Connection Collision Resolution',
       (6, 8): 'Out of Resources', (6, 9): 'Hard Reset', (6, 10): 'BFD Down'}

def describe_notification(m):
    code, sub, data = m[19], m[20], m[21:]
    s = f'NOTIFICATION {ERR.get(code, code)} ({code}) / {SUB.get((code, sub), sub)} ({sub})'
    extra = []
    if (code, sub) in ((6, 2), (6, 4)) and data:
        n = data[0]
        s += f', shutdown communication ({n} bytes): {data[1:1 + n].decode(errors="replace")!r}'
    elif data:
        s += f', data {data.hex()}'
    return s, extra, {(6, 2): 'notification_shutdown', (2, 2): 'notification_bad_peer_as',
                      (6, 7): 'notification_collision'}.get((code, sub), f'notification_{code}_{sub}')

# --------------------------------------------------------------- main
def classify(m, neg):
    t = m[18]
    if t == 1:
        info = parse_open(m); d, extra = describe_open(m, info)
        return 'open', d, extra, (len(info['caps']), len(m))
    if t == 4:
        return 'keepalive', 'KEEPALIVE (header only)', [], (0,)
    if t == 3:
        d, extra, kind = describe_notification(m)
        return kind, d, extra, (len(m),)
    if t == 5:
        afi, st, safi = int.from_bytes(m[19:21], 'big'), m[21], m[22]
        f = fam(afi, safi)
        sname = {0: 'normal request', 1: 'BoRR (begin of route refresh)', 2: 'EoRR (end of route refresh)'}.get(st, st)
        kind = {0: 'route_refresh', 1: 'route_refresh_borr', 2: 'route_refresh_eorr'}.get(st, f'route_refresh_{st}')
        return kind, f'ROUTE-REFRESH {f}, subtype {st} = {sname}', [], (f == 'ipv4', len(m))
    if t == 2:
        u = parse_update(m, neg)
        e = eor_family(m, u)
        if e:
            return f'eor_{e}', f'UPDATE End-of-RIB marker for {e}', (['attributes: ' + ', '.join(u['attrs'])] if u['attrs'] else []), (0,)
        extra = []
        if u['attrs']: extra.append('attributes: ' + ', '.join(u['attrs']))
        for f, l in u['withdrawn'].items(): extra.append(f'withdrawn {f}: ' + ', '.join(l))
        for f, l in u['nlri'].items(): extra.append(f'nlri {f}: ' + ', '.join(l))
        nn = sum(len(l) for l in u['nlri'].values()); nw = sum(len(l) for l in u['withdrawn'].values())
        if u['nlri']:
            fams = list(u['nlri'])
            kind = ['update_' + fams[0].replace('-', '_')]
            if 7 in u['codes']: kind.append(kind[0] + '_aggregate')
            nhinfo = ', '.join(f'{f} next hop {"+".join(n)}' for f, n in u['nh'].items())
            d = (f'UPDATE announcing {nn} {"/".join(fams)} prefix(es)' + (f' and withdrawing {nw}' if nw else '') +
                 f' with {len(u["codes"])} path attributes ({", ".join(ATTRS.get(c, str(c)) for c in u["codes"])})' +
                 (f'; {nhinfo}' if nhinfo else ''))
            score = (len(set(u['codes'])), nn, len(m))
        else:
            fams = list(u['withdrawn'])
            kind = 'update_withdraw_' + fams[0].replace('-', '_')
            d = f'UPDATE withdrawing {nw} {"/".join(fams)} prefix(es)' + (' via MP_UNREACH_NLRI' if fams[0] != 'ipv4' else ' (Withdrawn Routes field)')
            score = (nw, len(m))
        return kind, d, extra, score
    return f'type{t}', f'unknown type {t}', [], (0,)

WANT = {
    'main': {'bird': ['open', 'keepalive', 'update_ipv4', 'update_ipv6', 'eor_ipv4', 'eor_ipv6',
                      'update_withdraw_ipv4', 'update_withdraw_ipv6', 'route_refresh',
                      'route_refresh_borr', 'route_refresh_eorr'],
             'frr': ['open', 'keepalive', 'update_ipv4', 'update_ipv4_aggregate', 'update_ipv6',
                     'eor_ipv4', 'eor_ipv6', 'update_withdraw_ipv4', 'update_withdraw_ipv6',
                     'route_refresh', 'route_refresh_borr', 'route_refresh_eorr',
                     'notification_shutdown']},
    'as4': {'bird': ['open', 'update_ipv4', 'notification_shutdown'],
            'frr': ['open', 'update_ipv4']},
    'noas4': {'bird': ['open', 'update_ipv4'], 'frr': ['open', 'update_ipv4']},
    'badas': {'frr': ['notification_bad_peer_as']},
}
SCEN_DESC = {
    'main': 'eBGP BIRD AS 64512 (10.99.0.1) <-> FRR AS 64513 (10.99.0.2), IPv4 transport, IPv4+IPv6 unicast',
    'as4': 'eBGP BIRD AS 4200000001 (fd00:99::1) <-> FRR AS 64513 (fd00:99::2), IPv6 transport, extended next hop for IPv4',
    'noas4': 'eBGP BIRD AS 64512 without 4-octet AS capability (10.99.0.1) <-> FRR AS 4200000002 (10.99.0.2), IPv4 transport',
    'badas': 'BIRD AS 64512 (10.99.0.1) -> FRR expecting peer AS 64599 (10.99.0.2): OPEN rejected',
}

written, seen_bytes = [], {}
for scen in scenarios:
    d = os.path.join(work, scen)
    meta = dict(l.rstrip('\n').split('=', 1) for l in open(os.path.join(d, 'meta.env')) if '=' in l)
    sw = {'bird': meta['bird_version'], 'frr': meta['frr_version']}
    msgs = read_streams(os.path.join(d, 'capture.pcap'))
    # per TCP connection: OPEN of each side -> negotiated parameters
    opens = {}
    for frame, key, m in msgs:
        if m[18] == 1:
            opens.setdefault((key[0], key[1], key[2], key[3]), parse_open(m))
    # a connection is Established once both sides have sent a KEEPALIVE
    keepalive_from = {key for frame, key, m in msgs if m[18] == 4}
    cands = collections.defaultdict(list)
    for idx, (frame, key, m) in enumerate(msgs):
        src, sport, dst, dport = key
        so, ro = opens.get(key), opens.get((dst, dport, src, sport))
        neg = {'established': key in keepalive_from and (dst, dport, src, sport) in keepalive_from,
               'as4': bool(so and ro and so['as4'] is not None and ro['as4'] is not None),
               'extmsg': bool(so and ro and so['extmsg'] and ro['extmsg']), 'addpath': {}}
        for f in ('ipv4', 'ipv6'):
            neg['addpath'][f] = bool(so and ro and so['addpath'].get(f, 0) & 2 and ro['addpath'].get(f, 0) & 1)
        sender, receiver = PEERS[src], PEERS[dst]
        kinds, desc, extra, score = classify(m, neg)
        for kind in ([kinds] if isinstance(kinds, str) else kinds):
            cands[(sender, kind)].append((score, -frame, frame, key, m, desc, extra, neg, receiver))
    for sender in ('bird', 'frr'):
        for kind in WANT.get(scen, {}).get(sender, []):
            if not cands[(sender, kind)]:
                print(f'WARNING: {scen}: no {kind} sent by {sender}', file=sys.stderr); continue
            # most feature-rich (then earliest) instance; a route refresh identical to one
            # already written falls back to a different one (e.g. the other family)
            cl = sorted(cands[(sender, kind)], key=lambda c: c[:2], reverse=True)
            if kind == 'route_refresh':
                cl = [c for c in cl if (kind, c[4]) not in seen_bytes] or cl
            score, _, frame, key, m, desc, extra, neg, receiver = cl[0]
            if (kind, m) in seen_bytes:
                print(f'{scen}: {sender} {kind} identical to {seen_bytes[(kind, m)]}, skipped', file=sys.stderr)
                continue
            name = f'{sender}_{"" if scen == "main" else scen + "_"}{kind}'
            seen_bytes[(kind, m)] = name
            src, sport, dst, dport = key
            yn = lambda x: 'yes' if x else 'no'
            lines = [
                f'# {name}: one BGP {TYPES.get(m[18], m[18])} message ({len(m)} bytes) captured on the wire',
                f'# sender: {sender} {sw[sender]} [{src}]:{sport}',
                f'# receiver: {receiver} {sw[receiver]} [{dst}]:{dport}',
                f'# captured: {meta["date"]}, scenario {scen}: {SCEN_DESC[scen]}',
                (f'# negotiated (this direction, as the receiver decodes it): as4: {yn(neg["as4"])}, '
                 f'extended-message: {yn(neg["extmsg"])}, addpath-rx: ipv4 {yn(neg["addpath"]["ipv4"])}, '
                 f'ipv6 {yn(neg["addpath"]["ipv6"])}, ebgp: yes'
                 if neg['established'] else
                 '# negotiated: nothing, the session never reached Established: '
                 'as4: no, extended-message: no, addpath-rx: ipv4 no, ipv6 no, ebgp: yes'),
                f'# description: {desc}',
            ] + [f'#   {e}' for e in extra]
            h = m.hex()
            lines += [h[i:i + 64] for i in range(0, len(h), 64)]
            path = os.path.join(out, name + '.hex')
            with open(path, 'w') as fh:
                fh.write('\n'.join(lines) + '\n')
            written.append(name)
print(f'wrote {len(written)} vectors to {out}', file=sys.stderr)
for n in written: print('  ' + n, file=sys.stderr)
PY
log "done"
