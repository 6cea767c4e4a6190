# Sourced by benchmarks (not one itself): two nodes of `tributary train` in two network namespaces joined by one veth
# pair, each end shaped by a token bucket (tc tbf), optionally dropping a share of UDP datagrams (nftables).
# Needs root, ip and tc (and nft for loss). Uses only addresses inside the namespaces it creates.

netns_available() {
  [ "$(id -u)" = 0 ] && command -v ip >/dev/null && command -v tc >/dev/null
}

netns_cleanup() {
  ip netns del trib-s0 2>/dev/null || true
  ip netns del trib-s1 2>/dev/null || true
}

# netns_train LABEL RATE_MBIT LOSS_PERCENT OUT_DIR CONFIG [train arguments...]
# Trains 2 nodes x 1 device of CONFIG across the link; node output is prefixed [node i] on stderr.
netns_train() {
  local label="$1" mbit="$2" loss="$3" dir="$4" config="$5"; shift 5
  local port=29650 pids=() failed=0 token
  token="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  netns_cleanup
  ip netns add trib-s0; ip netns add trib-s1
  ip link add trib-s0v netns trib-s0 type veth peer name trib-s1v netns trib-s1
  for i in 0 1; do
    ip -n "trib-s$i" addr add "10.78.0.$((i + 1))/24" dev "trib-s${i}v"
    ip -n "trib-s$i" link set "trib-s${i}v" up
    ip -n "trib-s$i" link set lo up
    ip netns exec "trib-s$i" tc qdisc add dev "trib-s${i}v" root tbf rate "${mbit}mbit" burst 256kb latency 50ms
    if [ "$loss" != 0 ]; then
      ip netns exec "trib-s$i" nft add table inet trib
      ip netns exec "trib-s$i" nft add chain inet trib in '{ type filter hook input priority 0; }'
      ip netns exec "trib-s$i" nft add rule inet trib in meta l4proto udp numgen random mod 100 lt "$loss" drop
    fi
  done
  echo "== $label: 2 nodes x 1 device across two namespaces, link ${mbit} Mbit/s, loss ${loss}%" >&2
  mkdir -p "$dir"
  for i in 0 1; do
    ip netns exec "trib-s$i" env RANK="$i" WORLD_SIZE=2 LOCAL_RANK=0 MASTER_ADDR=10.78.0.1 MASTER_PORT="$port" \
      TRIBUTARY_TOKEN="$token" TRIBUTARY_JOB="netns-$$-$label" TRIBUTARY_DATA_HOST="10.78.0.$((i + 1))" \
      "$BENCH_ROOT/tributary" train "$config" "$@" --set cluster.nodes=2 --set cluster.devices=1 --out "$dir" \
      > >(sed "s/^/[node $i] /" >&2) 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  netns_cleanup
  [ "$failed" -eq 0 ] || { echo "bench: $failed node(s) of $label failed" >&2; return 1; }
}
