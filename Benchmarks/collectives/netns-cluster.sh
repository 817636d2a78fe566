#!/usr/bin/env bash
# Stands up a small cluster of "hosts" on one machine with Linux network namespaces and runs an
# mpirun job across them, the way a job runs across real hosts with --hostfile: OpenMPI starts
# its daemons through a remote-shell agent (here `ip netns exec` instead of ssh) and the ranks talk
# TCP over a switched network (veth pairs into a bridge). Used by CollectivesTests and for demos.
#
# Usage (as root):
#   netns-cluster.sh probe
#       exit 0 if namespaces can be created here, 1 (with a reason on stderr) if not
#   netns-cluster.sh run [--hosts N] [--rate RATE] -- PROGRAM [ARGS...]
#       runs `mpirun -np N PROGRAM ARGS` with one rank on each of N hosts (default 2); --rate
#       limits every host's outgoing link with `tc tbf` (e.g. 200mbit; netem is not needed)
#
# Layout: namespaces <prefix>-h0 ... <prefix>-h{N-1}, each with eth0 = 10.77.0.(i+1)/24 and its
# own host name (a UTS namespace), all cabled to bridge br0 in namespace <prefix>-sw. Nothing is
# created or changed in the machine's own network namespace. Everything is torn down on exit,
# on failure too. mpirun runs in h0 with:
#   --hostfile (one slot per host) --mca plm_rsh_agent <agent: ip netns exec> --mca btl tcp,self
#   --map-by node --bind-to none
set -euo pipefail

subnet=10.77.0
prefix="lb$$"

die() { echo "netns-cluster: $*" >&2; exit 1; }

probe() {
    [ "$(id -u)" = 0 ] || die "needs root to create network namespaces"
    command -v ip >/dev/null || die "needs the ip command (iproute2)"
    command -v unshare >/dev/null || die "needs unshare (util-linux)"
    command -v mpirun >/dev/null || die "needs mpirun (openmpi-bin)"
    local ns="${prefix}-probe"
    ip netns add "$ns" 2>/dev/null || die "cannot create network namespaces here (ip netns add failed)"
    local ok=1
    ip netns exec "$ns" ip link add probe0 type veth peer name probe1 2>/dev/null || ok=0
    ip netns del "$ns" 2>/dev/null || true
    [ "$ok" = 1 ] || die "cannot create veth pairs inside a network namespace here"
}

namespaces=()
workdir=""
teardown() {
    local ns
    for ns in "${namespaces[@]}"; do
        # Processes this run started inside the namespace (mpirun's daemons and ranks).
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    [ -n "$workdir" ] && rm -rf "$workdir"
}

run() {
    local hosts=2 rate=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --hosts) hosts=${2:?--hosts needs a number}; shift 2 ;;
            --rate) rate=${2:?--rate needs a rate like 200mbit}; shift 2 ;;
            --) shift; break ;;
            *) die "unknown option $1 (see the usage at the top of this script)" ;;
        esac
    done
    [ $# -gt 0 ] || die "run needs a program after --"
    [[ "$hosts" =~ ^[0-9]+$ ]] && [ "$hosts" -ge 1 ] && [ "$hosts" -le 200 ] || die "--hosts $hosts must be 1 to 200"
    probe
    trap teardown EXIT
    trap 'exit 130' INT TERM

    local switch="${prefix}-sw"
    ip netns add "$switch"
    namespaces+=("$switch")
    ip netns exec "$switch" ip link add br0 type bridge
    ip netns exec "$switch" ip link set br0 up
    ip netns exec "$switch" ip link set lo up

    workdir=$(mktemp -d)
    : >"$workdir/hostfile"
    local i ns address
    for i in $(seq 0 $((hosts - 1))); do
        ns="${prefix}-h$i"
        address="$subnet.$((i + 1))"
        ip netns add "$ns"
        namespaces+=("$ns")
        # The veth pair is made inside the switch namespace; one end moves straight into the host.
        ip netns exec "$switch" ip link add "h$i" type veth peer name eth0 netns "$ns"
        ip netns exec "$switch" ip link set "h$i" master br0 up
        ip netns exec "$ns" ip link set lo up
        ip netns exec "$ns" ip addr add "$address/24" dev eth0
        ip netns exec "$ns" ip link set eth0 up
        if [ -n "$rate" ]; then
            ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate "$rate" burst 32kb latency 20ms \
                || die "tc tbf is not available here"
        fi
        echo "$address slots=1" >>"$workdir/hostfile"
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

    local first="${prefix}-h0"
    ip netns exec "$first" unshare --uts sh -c 'hostname "$0"; exec "$@"' "$first" \
        mpirun --allow-run-as-root -np "$hosts" --hostfile "$workdir/hostfile" \
        --mca plm_rsh_agent "$workdir/agent" --mca plm_rsh_no_tree_spawn 1 \
        --mca btl tcp,self --mca btl_tcp_if_include "$subnet.0/24" --mca oob_tcp_if_include "$subnet.0/24" \
        --map-by node --bind-to none \
        "$@"
}

case "${1:-}" in
    probe) probe ;;
    run) shift; run "$@" ;;
    *) die "usage: netns-cluster.sh probe | run [--hosts N] [--rate RATE] -- PROGRAM [ARGS...]" ;;
esac
