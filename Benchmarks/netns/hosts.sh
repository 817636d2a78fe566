# Shared by Benchmarks/collectives/netns-cluster.sh and Benchmarks/calibration/netns-calibrate.sh:
# several "hosts" on one machine as Linux network namespaces, cabled by veth pairs to a bridge in
# a switch namespace, and mpirun started across them through an `ip netns exec` remote-shell agent
# (what ssh is on a real cluster). Nothing is created in the machine's own network namespace.
#
# The sourcing script sets `subnet` (e.g. 10.77.0; addresses are $subnet.1 ... inside the
# namespaces only) and `prefix` (namespace names), and defines `die MESSAGE`. These functions keep
# their state in `namespaces` (created namespaces) and `workdir` (hostfile and agent).

namespaces=()
workdir=""

# Exits through `die` unless namespaces, veth pairs and the tools the run needs ($@: extra commands,
# e.g. tc) are available here.
netns_probe() {
    [ "$(id -u)" = 0 ] || die "needs root to create network namespaces"
    command -v ip >/dev/null || die "needs the ip command (iproute2)"
    command -v unshare >/dev/null || die "needs unshare (util-linux)"
    command -v mpirun >/dev/null || die "needs mpirun (openmpi-bin)"
    local tool
    for tool in "$@"; do command -v "$tool" >/dev/null || die "needs $tool"; done
    local ns="${prefix}-probe" ok=1
    ip netns add "$ns" 2>/dev/null || die "cannot create network namespaces here (ip netns add failed)"
    ip netns exec "$ns" ip link add probe0 type veth peer name probe1 2>/dev/null || ok=0
    ip netns del "$ns" 2>/dev/null || true
    [ "$ok" = 1 ] || die "cannot create veth pairs inside a network namespace here"
}

# Kills what runs inside the namespaces (mpirun's daemons and ranks) and deletes them.
netns_teardown() {
    local ns
    for ns in "${namespaces[@]}"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    [ -n "$workdir" ] && rm -rf "$workdir"
    return 0
}

# Hosts ${prefix}-h0 ... ${prefix}-h{N-1} with eth0 = $subnet.(i+1)/24 on bridge br0 in
# ${prefix}-sw, one slot each in $workdir/hostfile, and the remote-shell agent $workdir/agent.
# TCP restarts from slow start after idle are off (RFC 2861), so that a message's time does not
# depend on the pause before it.
netns_setup() {
    local hosts=$1 switch="${prefix}-sw" i ns
    ip netns add "$switch"; namespaces+=("$switch")
    ip netns exec "$switch" ip link add br0 type bridge
    ip netns exec "$switch" ip link set br0 up
    ip netns exec "$switch" ip link set lo up
    workdir=$(mktemp -d)
    : >"$workdir/hostfile"
    for i in $(seq 0 $((hosts - 1))); do
        ns="${prefix}-h$i"
        ip netns add "$ns"; namespaces+=("$ns")
        # The veth pair is made inside the switch namespace; one end moves straight into the host.
        ip netns exec "$switch" ip link add "h$i" type veth peer name eth0 netns "$ns"
        ip netns exec "$switch" ip link set "h$i" master br0 up
        ip netns exec "$ns" ip link set lo up
        ip netns exec "$ns" ip addr add "$subnet.$((i + 1))/24" dev eth0
        ip netns exec "$ns" ip link set eth0 up
        ip netns exec "$ns" sysctl -qw net.ipv4.tcp_slow_start_after_idle=0 || true
        echo "$subnet.$((i + 1)) slots=1" >>"$workdir/hostfile"
    done
    # The remote-shell agent: mpirun calls it as `agent HOST COMMAND...`, as it would call ssh.
    cat >"$workdir/agent" <<AGENT
#!/bin/sh
while [ "\${1#-}" != "\$1" ]; do shift; done
host=\$1; shift
index=\$(( \${host##*.} - 1 ))
ns="${prefix}-h\$index"
exec ip netns exec "\$ns" unshare --uts sh -c "hostname \$ns; \$*"
AGENT
    chmod +x "$workdir/agent"
}

# Every host's egress limited by a token bucket: RATE, BURST, LATENCY (tc tbf; netem is not needed).
netns_set_rate() {
    local rate=$1 burst=$2 latency=$3 i
    for i in $(seq 0 $(($(wc -l <"$workdir/hostfile") - 1))); do
        ip netns exec "${prefix}-h$i" tc qdisc replace dev eth0 root tbf rate "$rate" burst "$burst" latency "$latency" \
            || die "tc tbf is not available here"
    done
}

# mpirun with one rank per host, started in the first host: PROGRAM [ARGS...].
netns_mpirun() {
    local first="${prefix}-h0" hosts
    hosts=$(wc -l <"$workdir/hostfile")
    ip netns exec "$first" unshare --uts sh -c 'hostname "$0"; exec "$@"' "$first" \
        mpirun --allow-run-as-root -np "$hosts" --hostfile "$workdir/hostfile" \
        --mca plm_rsh_agent "$workdir/agent" --mca plm_rsh_no_tree_spawn 1 \
        --mca btl tcp,self --mca btl_tcp_if_include "$subnet.0/24" --mca oob_tcp_if_include "$subnet.0/24" \
        --map-by node --bind-to none \
        "$@"
}
