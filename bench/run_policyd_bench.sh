#!/usr/bin/env bash
# Side-by-side benchmark of mailwarden-policyd, a do-nothing policy server and Debian's
# postfix-policyd-spf-python (policyd-spf), in one run:
#   throughput, p50/p99 latency and server CPU per request (bench/policy_load), then the time
#   from spawn to the first answer, as Postfix's spawn(8) starts a policy child.
# Builds the Release tree first (-DMW_WERROR=ON). Everything runs in a network and mount namespace of its own:
# an unbound on 127.0.0.1:53 serves the bench zone, a private /etc/resolv.conf names it for
# policyd-spf (pydns reads resolv.conf and only speaks to port 53), and the namespace has no
# interface but lo, so nothing can reach the machine's resolver or the internet. A private
# /dev holds a /dev/log (bench/syslog_drain), so both servers' syslog calls work as on a mail host.
# Every run is bounded in time (policy_load --seconds); the whole script takes about 2 minutes.
# Not run by CI: benchmarks are not tests.
#
# usage: bench/run_policyd_bench.sh [SECONDS_PER_ROW]      (default 3)
#        bench/run_policyd_bench.sh --exec COMMAND ARGS...  (set up the namespaces, DNS and configs,
#            then run COMMAND there instead of the bench, with WORK, POLICYD, LOAD, NULL, DNS_PID
#            exported: for profiling and debugging)
#   BUILD_DIR=...   build tree (default: build-bench in the repository)
#   SKIP_BUILD=1    use the binaries already built
#   ROUNDS=N        rounds of every row, best kept (default 3)
# Needs: root (or unprivileged user namespaces), unshare, ip, unbound, policyd-spf,
# cmake and ninja for the build.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD_DIR:-$REPO/build-bench}
EXEC=()
if [[ "${1:-}" == --exec ]]; then
    shift
    EXEC=("$@")
    set --
fi
SECS=${1:-3}
ROUNDS=${ROUNDS:-3}
SPAWNS=20
export SPAWNS

if [[ "${MW_BENCH_IN_NS:-}" != 1 ]]; then
    if [[ "${SKIP_BUILD:-}" != 1 ]]; then
        cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMW_BENCH=ON -DMW_WERROR=ON >/dev/null
        ninja -C "$BUILD" -j2 mailwarden-policyd policy_load null_policy_server syslog_drain
    fi
    for tool in unshare ip /usr/sbin/unbound /usr/bin/policyd-spf; do
        command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
    done
    userns=()
    [[ $EUID -eq 0 ]] || userns=(--user --map-root-user)
    exec unshare "${userns[@]}" --net --mount --propagation private \
        env MW_BENCH_IN_NS=1 BUILD_DIR="$BUILD" bash "${BASH_SOURCE[0]}" ${EXEC[@]+--exec "${EXEC[@]}"} "$@"
fi

# ---- inside the namespaces ----
LOAD=$BUILD/bench/policy_load
NULL=$BUILD/bench/null_policy_server
DRAIN=$BUILD/bench/syslog_drain
POLICYD=$BUILD/policyd/mailwarden-policyd
WORK=$(mktemp -d /tmp/mw-policyd-bench.XXXXXX)
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

# -- syslog: a private /dev (a tmpfs in this mount namespace) with the few host devices the
# servers use, and syslog_drain on /dev/log, so that both policy servers log for real as on a
# mail host (with no /dev/log, glibc's syslog() opens and connects a new socket per line).
bench_private_dev "$DRAIN"

# -- the loopback DNS: an authoritative-only unbound; every name outside the zone is REFUSED.
# The names are the ones bench/request_mix.cpp sends.
zone_lines() {
    cat <<'EOF'
local-zone: "." refuse
local-zone: "test." static
local-data: 'test. 300 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60'
local-data: '_spf.provider.test. 300 IN TXT "v=spf1 ip4:198.51.100.0/25 ip6:2001:db8:100::/48 ~all"'
local-data: 'alpha.test. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.provider.test -all"'
local-data: 'mail.alpha.test. 300 IN A 192.0.2.10'
local-data: 'mail.alpha.test. 300 IN A 192.0.2.11'
local-data: 'mail.alpha.test. 300 IN TXT "v=spf1 a -all"'
local-data: 'beta.test. 300 IN TXT "v=spf1 include:_spf.provider.test -all"'
local-data: 'out.beta.test. 300 IN A 198.51.100.20'
local-data: 'out.beta.test. 300 IN TXT "v=spf1 a -all"'
local-data: 'gamma.test. 300 IN TXT "v=spf1 mx ~all"'
local-data: 'gamma.test. 300 IN MX 10 mx.gamma.test.'
local-data: 'mx.gamma.test. 300 IN A 203.0.113.99'
local-data: 'relay.gamma.test. 300 IN A 203.0.113.30'
local-data: 'relay.gamma.test. 300 IN TXT "v=spf1 a -all"'
local-data: 'delta.test. 300 IN A 198.51.100.44'
local-data: 'mx.delta.test. 300 IN A 198.51.100.44'
local-data: 'epsilon.test. 300 IN TXT "v=spf1 ip6:2001:db8::/64 -all"'
local-data: 'v6.epsilon.test. 300 IN AAAA 2001:db8::25'
local-data: 'v6.epsilon.test. 300 IN TXT "v=spf1 a -all"'
local-data: 'zeta.test. 300 IN TXT "v=spf1 -all"'
local-zone: "cold.test." redirect
local-data: 'cold.test. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.provider.test -all"'
EOF
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
DNS_PID=$!
PIDS+=("$DNS_PID")

echo "nameserver 127.0.0.1" >"$WORK/resolv.conf"
mount --bind "$WORK/resolv.conf" /etc/resolv.conf

# Ready when pydns (policyd-spf's resolver) gets the alpha.test record through resolv.conf.
dns_ready() {
    /usr/bin/python3 - <<'EOF' 2>/dev/null
import DNS
DNS.DiscoverNameServers()
r = DNS.DnsRequest("alpha.test", qtype="TXT", timeout=1).req()
ok = any(b"v=spf1 ip4:192.0.2.0/24" in b"".join(a["data"]) for a in r.answers)
raise SystemExit(0 if ok else 1)
EOF
}
for _ in $(seq 50); do dns_ready && break; sleep 0.1; done
dns_ready || { echo "unbound did not answer:" >&2; cat "$WORK/unbound.log" >&2; exit 1; }

# -- configurations: both policy servers with their shipped defaults, logging to syslog.
cat >"$WORK/policyd.conf" <<EOF
listen = unix:$WORK/policyd.sock
user = nobody
socket_owner = nobody:nogroup
dns_servers = 127.0.0.1
receiver = mx.bench.test
EOF
cp /etc/postfix-policyd-spf-python/policyd-spf.conf "$WORK/policyd-spf.conf"

if [[ ${#EXEC[@]} -gt 0 ]]; then
    export WORK POLICYD LOAD NULL DNS_PID
    "${EXEC[@]}"
    exit
fi

RESULTS=$WORK/results.txt
: >"$RESULTS"

# run LABEL LOAD-FLAGS... : one policy_load measurement, its line kept for the table.
run() {
    local label=$1
    shift
    echo "  $label" >&2
    "$LOAD" --name "$label" --child-stderr "$WORK/children.log" --dns-pid "$DNS_PID" "$@" | tee -a "$RESULTS" >&2 \
        || echo "RESULT name=$label failed=1" >>"$RESULTS"
}

# start_unix CMD... : starts a server on a unix socket, waits (bounded) for the socket.
start_unix() {
    local sock=$1
    shift
    rm -f "$sock"
    "$@" 2>>"$WORK/servers.log" &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    for _ in $(seq 100); do [[ -S $sock ]] && return 0; sleep 0.05; done
    echo "server did not create $sock" >&2
    cat "$WORK/servers.log" >&2
    exit 1
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

# One round of every row; the script runs ROUNDS rounds and keeps each row's best (the machine
# is shared: the best of a few runs is the least disturbed one).
bench_round() {
    local round=$1
    echo "== round $round: throughput ($SECS s a row) ==" >&2
    run null/stdio/c1 --seconds "$SECS" --spawn "$NULL" stdio
    start_unix "$WORK/null.sock" "$NULL" "unix:$WORK/null.sock"
    run null/unix/c1 --seconds "$SECS" --unix "$WORK/null.sock" --pid "$SERVER_PID"
    run null/unix/c4 --seconds "$SECS" --conns 4 --unix "$WORK/null.sock" --pid "$SERVER_PID"
    stop_server

    run mailwarden/stdio/c1/warm --seconds "$SECS" --spawn "$POLICYD" -c "$WORK/policyd.conf" -o listen=stdio
    run mailwarden/stdio/c1/cold --seconds "$SECS" --mix cold --warmup 1 --seed "${round}1" \
        --spawn "$POLICYD" -c "$WORK/policyd.conf" -o listen=stdio
    start_unix "$WORK/policyd.sock" "$POLICYD" -f -c "$WORK/policyd.conf"
    run mailwarden/unix/c1/warm --seconds "$SECS" --unix "$WORK/policyd.sock" --pid "$SERVER_PID"
    run mailwarden/unix/c4/warm --seconds "$SECS" --conns 4 --unix "$WORK/policyd.sock" --pid "$SERVER_PID"
    run mailwarden/unix/c4/cold --seconds "$SECS" --conns 4 --mix cold --warmup 1 --seed "${round}2" \
        --unix "$WORK/policyd.sock" --pid "$SERVER_PID"
    stop_server

    run policyd-spf/stdio/c1 --seconds "$SECS" --warmup 2 --spawn /usr/bin/policyd-spf "$WORK/policyd-spf.conf"
    run policyd-spf/stdio/c4 --seconds "$SECS" --warmup 2 --conns 4 \
        --spawn /usr/bin/policyd-spf "$WORK/policyd-spf.conf"

    echo "== round $round: spawn to first answer ($SPAWNS spawns each) ==" >&2
    "$LOAD" --name mailwarden --first-answer "$SPAWNS" --child-stderr "$WORK/children.log" \
        --spawn "$POLICYD" -c "$WORK/policyd.conf" -o listen=stdio | tee -a "$RESULTS" >&2 || true
    "$LOAD" --name null --first-answer "$SPAWNS" --child-stderr "$WORK/children.log" \
        --spawn "$NULL" stdio | tee -a "$RESULTS" >&2 || true
    "$LOAD" --name policyd-spf --first-answer "$SPAWNS" --child-stderr "$WORK/children.log" \
        --spawn /usr/bin/policyd-spf "$WORK/policyd-spf.conf" | tee -a "$RESULTS" >&2 || true
}

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do bench_round "$round"; done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# -- the table (each row: its best round) and the ratios of the issue's goals.
awk -f - "$RESULTS" <<'EOF'
function kv(line, key,   re) {
    re = " " key "=[^ ]*"
    if (match(" " line, re)) return substr(" " line, RSTART + length(key) + 2, RLENGTH - length(key) - 2)
    return ""
}
/^RESULT/ {
    n = kv($0, "name")
    if (!(n in rps)) { names[++count] = n; rps[n] = -1 }
    bad = kv($0, "failed") == 1 || kv($0, "errors") > 0
    if (bad) flag[n] = "  ERRORS"
    if (!bad && kv($0, "rps") + 0 > rps[n]) {
        rps[n] = kv($0, "rps") + 0
        row[n] = sprintf("%-26s %8s %9s %8s %8s %10s %10s  %s", n, kv($0, "rps"), kv($0, "requests"),
                         kv($0, "p50_us"), kv($0, "p99_us"), kv($0, "cpu_us_per_req"),
                         kv($0, "dns_cpu_us_per_req"), kv($0, "actions"))
    }
}
/^SPAWN/ {
    n = kv($0, "name"); m = kv($0, "median_ms") + 0
    if (kv($0, "spawns") > 0 && kv($0, "failures") == 0 && (!(n in spawn) || m < spawn[n])) spawn[n] = m
}
function ratio(a, b) { return (rps[a] > 0 && rps[b] > 0) ? sprintf("%.2f", rps[a] / rps[b]) : "n/a" }
function ms(n) { return (n in spawn) ? sprintf("%.1f", spawn[n]) : "n/a" }
END {
    printf "\n%-26s %8s %9s %8s %8s %10s %10s  %s\n", "server/transport/conns", "req/s", "requests",
           "p50 us", "p99 us", "cpu us/req", "dns us/req", "replies"
    for (i = 1; i <= count; i++) print (row[names[i]] != "" ? row[names[i]] : names[i] "  no valid run") flag[names[i]]
    printf "\nspawn to first answer, median of %s spawns (ms): mailwarden %s, do-nothing %s, policyd-spf %s\n",
           ENVIRON["SPAWNS"], ms("mailwarden"), ms("null"), ms("policyd-spf")
    print "\ngoals:"
    printf "  do-nothing / mailwarden warm, stdio c1 = %s   (goal <= 1.5)\n", ratio("null/stdio/c1", "mailwarden/stdio/c1/warm")
    printf "  do-nothing / mailwarden warm, unix c1  = %s   (goal <= 1.5)\n", ratio("null/unix/c1", "mailwarden/unix/c1/warm")
    printf "  do-nothing / mailwarden warm, unix c4  = %s   (goal <= 1.5)\n", ratio("null/unix/c4", "mailwarden/unix/c4/warm")
    printf "  mailwarden warm / policyd-spf, stdio c1        = %s   (goal >= 25)\n", ratio("mailwarden/stdio/c1/warm", "policyd-spf/stdio/c1")
    printf "  mailwarden warm unix c4 / policyd-spf stdio c4 = %s   (goal >= 25)\n", ratio("mailwarden/unix/c4/warm", "policyd-spf/stdio/c4")
    printf "  mailwarden cold / policyd-spf, stdio c1        = %s\n", ratio("mailwarden/stdio/c1/cold", "policyd-spf/stdio/c1")
    printf "  mailwarden cold unix c4 / policyd-spf stdio c4 = %s\n", ratio("mailwarden/unix/c4/cold", "policyd-spf/stdio/c4")
    printf "  spawn to first answer, mailwarden = %s ms   (goal <= 10)\n", ms("mailwarden")
}
EOF
