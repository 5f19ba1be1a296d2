#!/usr/bin/env bash
# Benchmark of mailwarden-dnsbl (issue 4), in one run:
#   connections per second with 8 DNS lists, warm cache (64 clients over and over) and cold
#   (every connection a new client address, so 8 fresh lookups each); then the per-connection
#   latency with one slow list: the milter with the slow list alone, the milter with it among
#   8 lists, and the same 8 lookups one after another through our resolver (what smtpd's
#   reject_rbl_client restriction list does), plus all at once through the resolver.
# Everything runs in a network and mount namespace of its own (lo only): an unbound on
# 127.0.0.1:53 serves the lists l1.test ... l8.test (authoritative, every other name REFUSED), and
# sends slow.test to bench/dnsbl/slow_dns.py on 127.0.0.2:53, which answers NXDOMAIN after
# SLOW_MS (unbound cannot delay an answer itself). The milter logs to stderr into a file.
# Not run by CI: benchmarks are not tests.
#
# usage: bench/dnsbl/run_dnsbl_bench.sh [SECONDS_PER_ROW]     (default 3)
#   BUILD_DIR=...   build tree (default: build-bench in the repository; built Release)
#   SKIP_BUILD=1    use the binaries already built
#   ROUNDS=N        rounds of every row, best kept (default 3)
#   CONNS=N         connections of the throughput rows (default 16)
#   SLOW_MS=N       the slow list's delay (default 50)
#   RTT_MS=N        the other 7 lists' delay in the latency rows (default 5)
# Needs: root (or unprivileged user namespaces), unshare, ip, unbound, python3, cmake, ninja.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD_DIR:-$REPO/build-bench}
SECS=${1:-3}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-16}
SLOW_MS=${SLOW_MS:-50}
RTT_MS=${RTT_MS:-5}

if [[ "${MW_BENCH_IN_NS:-}" != 1 ]]; then
    if [[ "${SKIP_BUILD:-}" != 1 ]]; then
        # Not -DMW_WERROR=ON: g++ 12 at -O3 gives a false-positive warning in libstdc++'s string copy
        # (common/milter/macros.cpp), which would stop a Release build of the milter.
        cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMW_BENCH=ON -DMW_WERROR=ON >/dev/null
        ninja -C "$BUILD" -j2 mailwarden-dnsbl dnsbl_load
    fi
    for tool in unshare ip /usr/sbin/unbound python3; do
        command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
    done
    userns=()
    [[ $EUID -eq 0 ]] || userns=(--user --map-root-user)
    exec unshare "${userns[@]}" --net --mount --propagation private \
        env MW_BENCH_IN_NS=1 BUILD_DIR="$BUILD" ROUNDS="$ROUNDS" CONNS="$CONNS" SLOW_MS="$SLOW_MS" RTT_MS="$RTT_MS" \
        bash "${BASH_SOURCE[0]}" "$@"
fi

# ---- inside the namespaces ----
LOAD=$BUILD/bench/dnsbl/dnsbl_load
DNSBL=$BUILD/milters/dnsbl/mailwarden-dnsbl
WORK=$(mktemp -d /tmp/mw-dnsbl-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

ip link set lo up
ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true
ip addr add 127.0.0.3/8 dev lo 2>/dev/null || true

FAST="l1.test,l2.test,l3.test,l4.test,l5.test,l6.test,l7.test,l8.test"
# The latency rows' lists are "remote": r1-r7.test answer after RTT_MS (slow_dns.py on
# 127.0.0.3), slow.test after SLOW_MS (on 127.0.0.2), as lists across the internet would.
WITH_SLOW="r1.test,r2.test,r3.test,r4.test,r5.test,r6.test,r7.test,slow.test"

# -- the lists: 198.51.100.1-8 (of the 64 warm clients) are in l1.test, 198.51.100.9-12 in l2.test.
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
  do-not-query-localhost: no
  local-zone: "." refuse
  local-zone: "slow.test." transparent
EOF
    for n in 1 2 3 4 5 6 7; do echo "  local-zone: \"r$n.test.\" transparent"; done
    for n in 1 2 3 4 5 6 7 8; do
        echo "  local-zone: \"l$n.test.\" static"
        echo "  local-data: 'l$n.test. 300 IN SOA ns.l$n.test. hostmaster.l$n.test. 1 3600 600 86400 300'"
    done
    for h in 1 2 3 4 5 6 7 8; do
        echo "  local-data: '$h.100.51.198.l1.test. 300 IN A 127.0.0.2'"
        echo "  local-data: '$h.100.51.198.l1.test. 300 IN TXT \"listed in l1.test\"'"
    done
    for h in 9 10 11 12; do echo "  local-data: '$h.100.51.198.l2.test. 300 IN A 127.0.0.3'"; done
    printf 'stub-zone:\n  name: "slow.test."\n  stub-addr: 127.0.0.2@53\n'
    for n in 1 2 3 4 5 6 7; do printf 'stub-zone:\n  name: "r%s.test."\n  stub-addr: 127.0.0.3@53\n' "$n"; done
    printf 'remote-control:\n  control-enable: no\n'
} >"$WORK/unbound.conf"
/usr/sbin/unbound -d -c "$WORK/unbound.conf" >"$WORK/unbound.log" 2>&1 &
DNS_PID=$!
PIDS+=("$DNS_PID")
python3 "$REPO/bench/dnsbl/slow_dns.py" 127.0.0.2 53 "$SLOW_MS" >"$WORK/slow_dns.log" 2>&1 &
PIDS+=("$!")
python3 "$REPO/bench/dnsbl/slow_dns.py" 127.0.0.3 53 "$RTT_MS" >>"$WORK/slow_dns.log" 2>&1 &
PIDS+=("$!")

# Ready when a one-second lookup of each kind of list answers (the slow one through the stub).
dns_ready() {
    "$LOAD" --name probe --sequential l1.test,r1.test,slow.test --dns 127.0.0.1:53 --timeout-ms 1000 --seconds 0.01 \
        >/dev/null 2>&1
}
for _ in $(seq 50); do dns_ready && break; sleep 0.1; done
dns_ready || { echo "DNS did not answer:" >&2; cat "$WORK/unbound.log" "$WORK/slow_dns.log" >&2; exit 1; }

RESULTS=$WORK/results.txt
: >"$RESULTS"

# start_dnsbl SITES: the milter on a unix socket with these lists, defaults otherwise.
start_dnsbl() {
    cat >"$WORK/dnsbl.conf" <<EOF
listen = unix:$WORK/dnsbl.sock
user = nobody
socket_owner = nobody:nogroup
log_target = stderr
dns_servers = 127.0.0.1:53
dns_timeout = 2s
dnsbl_timeout = 3s
dnsbl_sites = $1
EOF
    rm -f "$WORK/dnsbl.sock"
    "$DNSBL" -f -c "$WORK/dnsbl.conf" 2>>"$WORK/dnsbl.log" &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    for _ in $(seq 100); do [[ -S $WORK/dnsbl.sock ]] && return 0; sleep 0.05; done
    echo "mailwarden-dnsbl did not start" >&2
    cat "$WORK/dnsbl.log" >&2
    exit 1
}
stop_dnsbl() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

run() {
    local label=$1
    shift
    echo "  $label" >&2
    "$LOAD" --name "$label" "$@" | tee -a "$RESULTS" >&2 || echo "RESULT name=$label errors=1" >>"$RESULTS"
}

bench_round() {
    local r=$1
    echo "== round $r: connections per second, 8 lists ($SECS s a row) ==" >&2
    start_dnsbl "$FAST"
    run milter/8-lists/warm/c$CONNS --milter "unix:$WORK/dnsbl.sock" --conns "$CONNS" --seconds "$SECS" \
        --warmup 20 --pid "$SERVER_PID"
    run milter/8-lists/cold/c$CONNS --milter "unix:$WORK/dnsbl.sock" --conns "$CONNS" --seconds "$SECS" \
        --mix cold --seed "${r}1" --pid "$SERVER_PID"
    run milter/8-lists/warm/c1 --milter "unix:$WORK/dnsbl.sock" --seconds "$SECS" --warmup 20 --pid "$SERVER_PID"
    run milter/8-lists/cold/c1 --milter "unix:$WORK/dnsbl.sock" --seconds "$SECS" --mix cold --seed "${r}2" \
        --pid "$SERVER_PID"
    stop_dnsbl

    echo "== round $r: latency per connection, one slow list (${SLOW_MS} ms), 7 at ${RTT_MS} ms, cold ==" >&2
    start_dnsbl slow.test
    run milter/1-slow-list/cold/c1 --milter "unix:$WORK/dnsbl.sock" --seconds "$SECS" --mix cold --seed "${r}3"
    stop_dnsbl
    start_dnsbl "$WITH_SLOW"
    run milter/8-lists-1-slow/cold/c1 --milter "unix:$WORK/dnsbl.sock" --seconds "$SECS" --mix cold --seed "${r}4"
    stop_dnsbl
    run resolver/8-lists-1-slow/one-after-another/c1 --sequential "$WITH_SLOW" --seconds "$SECS" --mix cold \
        --seed "${r}5" --timeout-ms 2000
    run resolver/8-lists-1-slow/all-at-once/c1 --parallel "$WITH_SLOW" --seconds "$SECS" --mix cold \
        --seed "${r}6" --timeout-ms 2000
}

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do bench_round "$r"; done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "decision lines logged: $(grep -c ' dnsbl=' "$WORK/dnsbl.log" || true)"

# -- the table: throughput rows keep their best round (highest cps), latency rows their best
# round (lowest p50); then the issue's goals.
awk -v slow="$SLOW_MS" -f - "$RESULTS" <<'EOF'
function kv(line, key,   re) {
    re = " " key "=[^ ]*"
    if (match(" " line, re)) return substr(" " line, RSTART + length(key) + 2, RLENGTH - length(key) - 2)
    return ""
}
/^RESULT/ {
    n = kv($0, "name")
    if (!(n in seen)) { names[++count] = n; seen[n] = 1 }
    if (kv($0, "errors") > 0 || kv($0, "sessions") == "") { flag[n] = "  ERRORS"; next }
    better = !(n in cps) || (n ~ /c1$/ && n !~ /8-lists\/(warm|cold)/ ? kv($0, "p50_us") + 0 < p50[n] : kv($0, "cps") + 0 > cps[n])
    if (better) {
        cps[n] = kv($0, "cps") + 0; p50[n] = kv($0, "p50_us") + 0
        row[n] = sprintf("%-44s %7s %8s %8s %8s %8s %9s  reject=%s continue=%s tempfail=%s", n, kv($0, "cps"),
                         kv($0, "p50_us"), kv($0, "p90_us"), kv($0, "p99_us"), kv($0, "max_us"),
                         kv($0, "cpu_us_per_conn"), kv($0, "reject"), kv($0, "continue"), kv($0, "tempfail"))
    }
}
function ratio(a, b) { return (p50[a] > 0 && p50[b] > 0) ? sprintf("%.2f", p50[a] / p50[b]) : "n/a" }
END {
    printf "\n%-44s %7s %8s %8s %8s %8s %9s\n", "row", "conn/s", "p50 us", "p90 us", "p99 us", "max us", "cpu us/c"
    for (i = 1; i <= count; i++) print (row[names[i]] != "" ? row[names[i]] : names[i] "  no valid run") flag[names[i]]
    print "\ngoals:"
    w = "milter/8-lists/warm/c" ENVIRON["CONNS"]
    printf "  warm cache, 8 lists: %s connections/s   (goal >= 5000)\n", (w in cps) ? cps[w] : "n/a"
    printf "  latency 8 lists (1 slow) / 1 slow list, milter p50 = %s   (goal <= 1.2)\n",
           ratio("milter/8-lists-1-slow/cold/c1", "milter/1-slow-list/cold/c1")
    printf "  one after another / milter, 8 lists (1 slow) p50 = %s\n",
           ratio("resolver/8-lists-1-slow/one-after-another/c1", "milter/8-lists-1-slow/cold/c1")
}
EOF
