# A BGP node's table as the node itself displays it (birdc, vtysh, gobgp), reduced to one
# sorted line per path: "PREFIX nh=NEXT_HOP orig=ORIGINATOR_ID cl=CLUSTER_LIST", or
# "PREFIX local" for the node's own block ("-": attribute absent). Comparing whole sets makes a
# missing route, an extra route and a wrong attribute fail alike. Source after peers.sh.
#
# A lab fills KIND[node] (bird, frr, gobgp, or a view_<kind> of its own such as tern), ADDR and
# BLOCK, and RID where router ids are not the node addresses (Calico's default).

declare -A KIND RID
VIEW_SETTLE=${VIEW_SETTLE:-1}

# BIRD: "show route all" blocks; interface routes ("Type: device", from protocol direct, there
# for recursive next hops) are not BGP's business.
view_bird() {
  birdc_at "$1" show route all > "$LAB_DIR/view-$1.raw" || return 1
  awk '
    function flush() {
      if (pfx != "" && !dev)
        print pfx (bgp ? " nh=" nh " orig=" orig " cl=" cl : " local")
      bgp = 0; dev = 0; nh = "-"; orig = "-"; cl = "-"
    }
    /^[0-9a-f:.]+\/[0-9]+ / { flush(); pfx = $1; next }
    /^[[:space:]]+(unicast|blackhole|unreachable|prohibited) \[/ { flush(); next }
    /Type: device/ { dev = 1 }
    /BGP.next_hop:/ { bgp = 1; nh = $2 }
    /BGP.originator_id:/ { orig = $2 }
    /BGP.cluster_list:/ { cl = $2; for (i = 3; i <= NF; i++) cl = cl "," $i }
    END { flush() }
  ' "$LAB_DIR/view-$1.raw" | sort
}

# FRR: the table for the prefixes, then each prefix's detail (the table JSON has no
# ORIGINATOR_ID or CLUSTER_LIST). Paths FRR holds as invalid are marked so.
view_frr() {
  local me=$1 pfx
  vtysh_at "$me" -c "show bgp ipv4 unicast json" > "$LAB_DIR/view-$me.table" || return 1
  : > "$LAB_DIR/view-$me.raw"
  for pfx in $(jq -r '.routes | keys[]' "$LAB_DIR/view-$me.table"); do
    vtysh_at "$me" -c "show bgp ipv4 unicast $pfx json" | tee -a "$LAB_DIR/view-$me.raw" | jq -r '
      .prefix as $p | .paths[] |
      if (.nexthops[0].ip // "") == "0.0.0.0" or (.sourced // false) or (.local // false) then
        "\($p) local"
      else
        "\($p) nh=\(.nexthops[0].ip) orig=\(.originatorId // "-") cl=\((.clusterList.list // ["-"]) | join(","))"
        + (if .valid then "" else " invalid" end)
      end'
  done | sort
}

# GoBGP: "global rib -j", attributes by type code (3 NEXT_HOP, 9 ORIGINATOR_ID, 10 CLUSTER_LIST).
view_gobgp() {
  gobgp_at "$1" global rib -a ipv4 -j > "$LAB_DIR/view-$1.raw" || return 1
  jq -r '
    to_entries[] | .key as $p | .value[] |
    (.attrs | map({(.type | tostring): .}) | add) as $a |
    if (.["source-id"] // "") == "" or ($a["3"].nexthop // "") == "0.0.0.0" then "\($p) local"
    else
      "\($p) nh=\($a["3"].nexthop // "-") orig=\($a["9"].value // "-") cl=\(($a["10"].value // ["-"]) | join(","))"
    end' "$LAB_DIR/view-$1.raw" | sort
}

# view NAME: the table of node NAME through the right tool.
view() { "view_${KIND[$1]}" "$1"; }

# view_raw NAME: what the last view read, for a failure message (a lab may redefine it).
view_raw() { head -c 4000 "$LAB_DIR/view-$1.raw" 2> /dev/null; }

# own NODE: NODE's own block. direct NODE: learned straight from the originator (mesh, or the
# reflector's own view). reflected NODE CLUSTER_ID: through a reflector: next hop untouched,
# ORIGINATOR_ID the originator's router id, CLUSTER_LIST just the reflector's cluster.
own() { echo "${BLOCK[$1]} local"; }
direct() { echo "${BLOCK[$1]} nh=${ADDR[$1]} orig=- cl=-"; }
reflected() { echo "${BLOCK[$1]} nh=${ADDR[$1]} orig=${RID[$1]:-${ADDR[$1]}} cl=$2"; }

# expect_view SECONDS NODE WHAT LINE...: waits until NODE's view is exactly LINE..., then checks
# it stays so for VIEW_SETTLE seconds (a late extra path, such as an own route reflected back,
# fails).
expect_view() {
  local secs=$1 who=$2 what=$3
  shift 3
  local want got end=$((SECONDS + secs))
  want=$(printf '%s\n' "$@" | sort)
  while :; do
    got=$(view "$who" 2> /dev/null || true)
    if [ "$got" = "$want" ]; then
      sleep "$VIEW_SETTLE"
      got=$(view "$who" 2> /dev/null || true)
      [ "$got" = "$want" ] && break
    fi
    if [ $SECONDS -ge $end ]; then
      lab_fail "$who (${KIND[$who]}): $what
expected exactly:
$want
$who displays:
${got:-<nothing>}
raw:
$(view_raw "$who")"
    fi
    sleep 0.5
  done
  lab_log "$who: $what: ok ($(echo "$want" | wc -l) paths)"
}
