#!/usr/bin/env bash
# Runs the Tributary allreduce across NP network namespaces joined by veth pairs to a bridge, each link shaped
# with tc tbf and incoming UDP dropped at random by nftables; once without and once with loss. Every size is
# checked for an exact sum, so a pass means the result stayed exact under loss.
#   sudo bench/allreduce/netns.sh [NP=2] [LOSS_PERCENT=1] [RATE=1gbit] [SIZE_BYTES...]
# Needs root, ip, tc, nft (apt-get install nftables) and a built bench jar (bench/run allreduce --quick).
# Uses only the namespaces it creates (trib-hub, trib-r0..) and addresses 10.77.0.0/24 inside them.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
np="${1:-2}"; loss="${2:-1}"; rate="${3:-1gbit}"; shift $(( $# < 3 ? $# : 3 ))
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1048576 16777216)
budget=$((64 << 20))

for tool in ip tc nft java; do
  command -v "$tool" >/dev/null || { echo "netns.sh: '$tool' not found (nft: apt-get install nftables)" >&2; exit 2; }
done
jar="$here/target/tributary-bench.jar"
[ -f "$jar" ] || { echo "netns.sh: $jar missing; run bench/run allreduce --quick first" >&2; exit 2; }
[[ "$np" =~ ^[2-4]$ ]] || { echo "netns.sh: NP must be 2, 3 or 4, got $np" >&2; exit 2; }
[[ "$loss" =~ ^[0-9]+$ ]] && [ "$loss" -lt 100 ] || { echo "netns.sh: LOSS_PERCENT must be an integer in [0, 100), got $loss" >&2; exit 2; }

cleanup() {
  for i in $(seq 0 $((np - 1))); do ip netns del "trib-r$i" 2>/dev/null || true; done
  ip netns del trib-hub 2>/dev/null || true
}
trap cleanup EXIT
cleanup

ip netns add trib-hub
ip -n trib-hub link add br0 type bridge
ip -n trib-hub link set br0 up
for i in $(seq 0 $((np - 1))); do
  ns="trib-r$i"
  ip netns add "$ns"
  ip link add "trib-v$i" netns "$ns" type veth peer name "hub$i" netns trib-hub
  ip -n "$ns" link set "trib-v$i" name eth0
  ip -n "$ns" addr add "10.77.0.$((i + 1))/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip -n trib-hub link set "hub$i" master br0 up
  ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate "$rate" burst 256kb latency 50ms
done

set_loss() {
  for i in $(seq 0 $((np - 1))); do
    ip netns exec "trib-r$i" nft flush ruleset
    if [ "$1" -gt 0 ]; then
      ip netns exec "trib-r$i" nft add table inet trib
      ip netns exec "trib-r$i" nft add chain inet trib input '{ type filter hook input priority 0; }'
      ip netns exec "trib-r$i" nft add rule inet trib input meta l4proto udp numgen random mod 100 lt "$1" drop
    fi
  done
}

run() {
  local job="netns-$1-$$" pids=() failed=0
  for i in $(seq 0 $((np - 1))); do
    # mtu 1408: a 64 KiB datagram would be cut into ~45 IP fragments on a 1500-byte link, and losing any one
    # loses the datagram.
    ip netns exec "trib-r$i" java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xmx1g \
      -Dbench.rendezvousHost=10.77.0.1 -Dbench.dataHost="10.77.0.$((i + 1))" -Dbench.mtu=1408 \
      -cp "$jar:$here/target/lib/*" io.tributary.bench.allreduce.AllReduceRank \
      udp "$job" "$i" "$np" 40123 - "$budget" "${sizes[@]}" \
      > >(sed "s/^RESULT tributary-udp/RESULT netns-loss$1%/") 2>/dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  [ $failed -eq 0 ] || { echo "netns.sh: $failed rank(s) failed with loss $1%" >&2; exit 1; }
  echo "exact sums with ${1}% loss on every link, $np ranks, $rate"
}

echo "columns: RESULT label np size_bytes seconds_per_allreduce"
set_loss 0
run 0
set_loss "$loss"
run "$loss"
