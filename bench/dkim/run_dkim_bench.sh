#!/usr/bin/env bash
# Side-by-side benchmark of mailwarden-dkim, Debian's opendkim and a do-nothing libmilter milter
# (bench/dkim/null_milter, the floor), under the same load in one run: messages per second and
# server CPU time per message (bench/dkim/dkim_load), signing (RSA-2048, Ed25519, both) and
# verifying, 3 KB and 100 KB messages, 1, 4 and 16 parallel connections; plus
# `openssl speed rsa2048 ed25519` once, for the cost of the signatures themselves.
# Everything runs in a network and mount namespace of its own (as bench/run_policyd_bench.sh):
# lo is the only interface, an unbound on 127.0.0.1:53 serves the key records (keys made with
# `mailwarden dkim keygen`), a private /etc/resolv.conf names it, and a private /dev holds a
# /dev/log served by bench/syslog_drain, so both DKIM milters log to syslog as on a mail host.
# Every run is bounded in time (dkim_load --seconds); the whole script takes about 5 minutes
# (QUICK=1: about 1 minute). Not run by CI: benchmarks are not tests.
#
# usage: bench/dkim/run_dkim_bench.sh [SECONDS_PER_ROW]      (default 4; QUICK=1: 2)
#        bench/dkim/run_dkim_bench.sh --exec COMMAND ARGS...  (set up the namespaces, DNS, keys
#            and the servers, then run COMMAND there instead of the bench, with WORK, LOAD, MW_SOCK,
#            MW_PID, OD_SOCK, OD_PID, ODED_PID, NULL_SOCK, NULL_PID exported: profiling, debugging)
#   BUILD_DIR=...   build tree (default: build-dbench in the repository; RelWithDebInfo)
#   SKIP_BUILD=1    use the binaries already built
#   QUICK=1         a smoke run: 3 KB only, 4 connections, 2 s a row
#   ROUNDS=N        rounds of every row, best (lowest CPU per message) kept (default 1)
# Needs: root (or unprivileged user namespaces), unshare, ip, unbound, opendkim (Debian package
# opendkim), openssl, cmake and ninja for the build.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD_DIR:-$REPO/build-dbench}
EXEC=()
if [[ "${1:-}" == --exec ]]; then
    shift
    EXEC=("$@")
    set --
fi
QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then SECS=${1:-2}; else SECS=${1:-4}; fi
ROUNDS=${ROUNDS:-1}

if [[ "${MW_BENCH_IN_NS:-}" != 1 ]]; then
    if [[ "${SKIP_BUILD:-}" != 1 ]]; then
        cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMW_BENCH=ON -DMW_WERROR=ON >/dev/null
        ninja -C "$BUILD" -j2 mailwarden-dkim mailwarden dkim_load null_milter syslog_drain
    fi
    for tool in unshare ip /usr/sbin/unbound /usr/sbin/opendkim openssl; do
        command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install opendkim unbound)" >&2; exit 1; }
    done
    userns=()
    [[ $EUID -eq 0 ]] || userns=(--user --map-root-user)
    exec unshare "${userns[@]}" --net --mount --propagation private \
        env MW_BENCH_IN_NS=1 BUILD_DIR="$BUILD" QUICK="$QUICK" ROUNDS="$ROUNDS" \
        bash "${BASH_SOURCE[0]}" ${EXEC[@]+--exec "${EXEC[@]}"} "$SECS"
fi

# ---- inside the namespaces ----
LOAD=$BUILD/bench/dkim/dkim_load
NULL=$BUILD/bench/dkim/null_milter
DRAIN=$BUILD/bench/syslog_drain
MWDKIM=$BUILD/milters/dkim/mailwarden-dkim
CLI=$BUILD/tools/mailwarden
WORK=$(mktemp -d /tmp/mw-dkim-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()

source "$REPO/bench/bench_private_dev.sh"

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    bench_release_dev
    rm -rf "$WORK"
}
trap cleanup EXIT

ip link set lo up

# -- syslog: a private /dev with the few host devices the servers use and /dev/log served by
# syslog_drain (reads and drops the lines), as bench/run_policyd_bench.sh does.
bench_private_dev "$DRAIN"

# -- keys: one RSA-2048 and one Ed25519 key per signing domain; dual.bench.example has both.
# Not under test.: opendkim's libunbound answers names under test. (RFC 6761) itself, NXDOMAIN,
# and its ResolverConfiguration file (which could turn that off) is re-read per query and
# crashes opendkim under concurrent load (flex scanner errors).
#    KEYNAME DOMAIN SELECTOR TYPE
KEYS=(
    "rsa rsa.bench.example r1 rsa"
    "ed ed.bench.example e1 ed25519"
    "dual-rsa dual.bench.example r1 rsa"
    "dual-ed dual.bench.example e1 ed25519"
)
# opendkim refuses keys below a directory others may write (/tmp): its copies go to a tmpfs on
# /mnt, private to this mount namespace.
mount -t tmpfs -o mode=755 tmpfs /mnt
OD_KEYS=/mnt/od-keys
mkdir -m 755 "$WORK/keys" "$OD_KEYS"
: >"$WORK/KeyTable.mw"
: >"$WORK/KeyTable.od"
: >"$WORK/SigningTable"
for k in "${KEYS[@]}"; do
    read -r name domain selector type <<<"$k"
    mkdir "$WORK/keys/$name"
    "$CLI" dkim keygen --domain "$domain" --selector "$selector" --type "$type" --dir "$WORK/keys/$name" >/dev/null
    # opendkim drops to its own account and reads the key file per message: its copy is its own.
    install -m 600 -o opendkim -g opendkim "$WORK/keys/$name/$selector.private" "$OD_KEYS/$name.private"
    echo "$name $domain:$selector:$WORK/keys/$name/$selector.private" >>"$WORK/KeyTable.mw"
    echo "$name $domain:$selector:$OD_KEYS/$name.private" >>"$WORK/KeyTable.od"
    echo "*@$domain $name" >>"$WORK/SigningTable"
done
chown -R opendkim:opendkim "$OD_KEYS"

# -- the loopback DNS: an authoritative-only unbound serving the key records; every name outside
# bench.example is REFUSED. keygen's zone-file line "NAME IN TXT ( "s1" "s2" ... )" becomes a
# local-data line with the same strings.
zone_lines() {
    echo 'local-zone: "." refuse'
    echo 'local-zone: "bench.example." static'
    echo "local-data: 'bench.example. 300 IN SOA ns.bench.example. hostmaster.bench.example. 1 3600 600 86400 60'"
    for k in "${KEYS[@]}"; do
        read -r name domain selector type <<<"$k"
        local txt
        txt=$(tr -d '()\n\t' <"$WORK/keys/$name/$selector.txt" | sed 's/ IN TXT */ 300 IN TXT /')
        echo "local-data: '$txt'"
    done
}
{
    cat <<EOF
server:
  interface: 127.0.0.1
  port: 53
  do-ip4: yes
  do-ip6: no
  do-daemonize: no
  chroot: ""
  username: ""
  directory: "$WORK"
  pidfile: "$WORK/unbound.pid"
  logfile: ""
  use-syslog: no
  verbosity: 0
  num-threads: 1
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
EOF
    zone_lines | sed 's/^/  /'
    printf 'remote-control:\n  control-enable: no\n'
} >"$WORK/unbound.conf"
/usr/sbin/unbound -d -c "$WORK/unbound.conf" >"$WORK/unbound.log" 2>&1 &
PIDS+=("$!")
echo "nameserver 127.0.0.1" >"$WORK/resolv.conf"
mount --bind "$WORK/resolv.conf" /etc/resolv.conf

# -- the three servers, each on a unix socket, started once for the whole run.
cat >"$WORK/dkim.conf" <<EOF
listen = unix:$WORK/mw.sock
user = nobody
socket_owner = nobody:nogroup
dns_servers = 127.0.0.1
authserv_id = mx.bench.example
key_table = $WORK/KeyTable.mw
signing_table = $WORK/SigningTable
EOF
# The same policy for opendkim: relaxed/relaxed and From oversigned as mailwarden-dkim's
# defaults, every matching key signs, {daemon_name}=ORIGINATING (or an internal client) signs,
# everything else is verified; the loopback unbound as its only resolver; syslog as a mail host
# has it (lines go to the drain).
cat >"$WORK/opendkim.conf" <<EOF
Syslog yes
SyslogSuccess no
Mode sv
Socket local:$WORK/od/od.sock
UMask 000
UserID opendkim:opendkim
KeyTable file:$WORK/KeyTable.od
SigningTable refile:$WORK/SigningTable
MultipleSignatures yes
Canonicalization relaxed/relaxed
OversignHeaders From
InternalHosts 127.0.0.1
MacroList daemon_name=ORIGINATING
Nameservers 127.0.0.1
AuthservID mx.bench.example
EOF

# opendkim 2.11 signs with one algorithm per instance (SignatureAlgorithm, not per key): a second
# instance signs with Ed25519; it cannot sign one message with both (dual has no opendkim row).
mkdir -m 755 "$WORK/od-ed" && chown opendkim:opendkim "$WORK/od-ed"
sed "s|^Socket .*|Socket local:$WORK/od-ed/od.sock|" "$WORK/opendkim.conf" >"$WORK/opendkim-ed.conf"
echo "SignatureAlgorithm ed25519-sha256" >>"$WORK/opendkim-ed.conf"

# start_server VAR_PREFIX SOCKET COMMAND... : starts a server, waits (bounded) for its socket.
start_server() {
    local prefix=$1 sock=$2
    shift 2
    rm -f "$sock"
    "$@" >>"$WORK/servers.log" 2>&1 &
    PIDS+=("$!")
    printf -v "${prefix}_PID" '%s' "$!"
    for _ in $(seq 100); do [[ -S $sock ]] && return 0; sleep 0.05; done
    echo "server $1 did not create $sock" >&2
    cat "$WORK/servers.log" >&2
    exit 1
}
# opendkim creates its socket after dropping to its account: in a directory of its own.
mkdir -m 755 "$WORK/od" && chown opendkim:opendkim "$WORK/od"
MW_SOCK=$WORK/mw.sock OD_SOCK=$WORK/od/od.sock NULL_SOCK=$WORK/null.sock
start_server MW "$MW_SOCK" "$MWDKIM" -f -c "$WORK/dkim.conf"
start_server OD "$OD_SOCK" /usr/sbin/opendkim -f -x "$WORK/opendkim.conf"
start_server ODED "$WORK/od-ed/od.sock" /usr/sbin/opendkim -f -x "$WORK/opendkim-ed.conf"
start_server NULL "$NULL_SOCK" "$NULL" "local:$NULL_SOCK"

if [[ ${#EXEC[@]} -gt 0 ]]; then
    export WORK LOAD MW_SOCK MW_PID OD_SOCK OD_PID ODED_PID NULL_SOCK NULL_PID
    "${EXEC[@]}"
    exit
fi

RESULTS=$WORK/results.txt
: >"$RESULTS"

# run LABEL SOCKET PID LOAD-FLAGS... : one dkim_load measurement, its line kept for the table.
run() {
    local label=$1 sock=$2 pid=$3
    shift 3
    echo "  $label" >&2
    "$LOAD" --name "$label" --unix "$sock" --pid "$pid" --seconds "$SECS" "$@" | tee -a "$RESULTS" >&2 \
        || echo "RESULT name=$label failed=1" >>"$RESULTS"
}

if [[ $QUICK == 1 ]]; then SIZES=(3072); CONNS=(4); else SIZES=(3072 102400); CONNS=(1 4 16); fi
SCHEMES=("rsa 1" "ed 1" "dual 2")   # signing domain prefix, signatures per message

bench_round() {
    local size conns scheme key expect mode label flags
    for size in "${SIZES[@]}"; do
        for conns in "${CONNS[@]}"; do
            run "null/$((size / 1024))k/c$conns" "$NULL_SOCK" "$NULL_PID" --mode sign \
                --from alice@rsa.bench.example --size "$size" --conns "$conns"
            for scheme in "${SCHEMES[@]}"; do
                read -r key expect <<<"$scheme"
                for mode in sign verify; do
                    label="$mode/$key/$((size / 1024))k/c$conns"
                    flags=(--mode "$mode" --from "alice@$key.bench.example" --size "$size" --conns "$conns"
                           --expect "$expect")
                    [[ $mode == verify ]] && flags+=(--presign "$MW_SOCK")
                    run "$label/mailwarden" "$MW_SOCK" "$MW_PID" "${flags[@]}"
                    if [[ $mode/$key == sign/ed ]]; then
                        run "$label/opendkim" "$WORK/od-ed/od.sock" "$ODED_PID" "${flags[@]}"
                    elif [[ $mode/$key == sign/dual ]]; then
                        echo "RESULT name=$label/opendkim unsupported=1" >>"$RESULTS"
                    else
                        run "$label/opendkim" "$OD_SOCK" "$OD_PID" "${flags[@]}"
                    fi
                done
            done
        done
    done
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== openssl speed -seconds 3 rsa2048 ed25519 ==" >&2
openssl speed -seconds 3 rsa2048 ed25519 2>/dev/null >"$WORK/openssl.txt"
for round in $(seq "$ROUNDS"); do
    echo "== round $round ($SECS s a row) ==" >&2
    bench_round
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if ! kill -0 "$MW_PID" 2>/dev/null || ! kill -0 "$OD_PID" 2>/dev/null || ! kill -0 "$ODED_PID" 2>/dev/null; then
    echo "a server died during the run:" >&2
    cat "$WORK/servers.log" >&2
fi

awk -f "$REPO/bench/dkim/dkim_table.awk" "$WORK/openssl.txt" "$RESULTS"
