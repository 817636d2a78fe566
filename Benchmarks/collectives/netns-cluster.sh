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
# NETNS_PREFIX names this run's namespaces (a caller that checks the teardown looks for its own
# among those of other runs on the machine); default lb<pid>.
prefix="${NETNS_PREFIX:-lb$$}"
[[ "$prefix" =~ ^[a-z][a-z0-9]{0,11}$ ]] || { echo "netns-cluster: NETNS_PREFIX '$prefix' must be a lower-case letter and up to 11 letters or digits" >&2; exit 1; }

die() { echo "netns-cluster: $*" >&2; exit 1; }

# shellcheck source=../netns/hosts.sh
. "$(cd "$(dirname "$0")" && pwd)/../netns/hosts.sh"

probe() { netns_probe; }

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
    trap netns_teardown EXIT
    trap 'exit 130' INT TERM
    netns_setup "$hosts"
    if [ -n "$rate" ]; then netns_set_rate "$rate" 32kb 20ms; fi
    netns_mpirun "$@"
}

case "${1:-}" in
    probe) probe ;;
    run) shift; run "$@" ;;
    *) die "usage: netns-cluster.sh probe | run [--hosts N] [--rate RATE] -- PROGRAM [ARGS...]" ;;
esac
