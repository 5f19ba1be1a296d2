#!/usr/bin/env bash
# Side-by-side benchmark of spam milters, in one run on one machine, over the labelled corpus
# (../shared/testdata/spamassassin-corpus: every ham and spam message once per row): msgs/s,
# server CPU ms per message and resident memory over all the server's processes, and how many
# ham and spam messages each flagged (bench/spam/spam_load). Rows, 1 and 4 connections each:
#   null        bench/dkim's null_milter (libmilter, does nothing): the floor of the harness
#   spamd       spamass-milter 0.4.0 (-m: headers only) + spamd 4.0.1 (-L, Bayes off, stock
#               rules, bench/spam/sa_local.cf, 2 children), as bench/spam/sa_reference.sh runs it
#   rspamd      rspamd 3.4's milter (rspamd_proxy, self_scan), stock rules, network modules
#               off, DNS to a dead loopback port (bench/spam/rspamd_setup.sh)
#   mailwarden  mailwarden-spam from $MW_SPAM_BUILD (skipped when not built)
# Everything runs in a network and mount namespace of its own (as bench/dkim/run_dkim_bench.sh):
# lo is the only interface, a private /etc/resolv.conf names 127.0.0.1 where nothing listens, and
# a private /dev holds a /dev/log served by bench/syslog_drain, so the servers log as on a mail
# host. Not run by CI: benchmarks are not tests. The whole corpus takes spamd 10 to 40 minutes a
# row on 2 shared cores: LIMIT=400 gives a first look in about 10 minutes.
#
# usage: bench/spam/run_spam_bench.sh
#        bench/spam/run_spam_bench.sh --exec COMMAND ARGS...  (set up everything, then run
#            COMMAND there, with WORK, LOAD, CORPUS and the *_SOCK / *_PID variables exported)
#   BUILD_DIR=...       build tree of spam_load, null_milter, syslog_drain (default build-sabench)
#   MW_SPAM_BUILD=...   build tree holding milters/spam/mailwarden-spam (default build-spam-bench)
#   SKIP_BUILD=1        use the binaries already built
#   CONNS="1 4"         connection counts; ROWS="null spamd rspamd mailwarden" rows to run
#   LIMIT=N             only the first N corpus messages per row (a quick look)
#   CORPUS=...          default: ../shared/testdata/spamassassin-corpus next to the repository
#   KEEP_DIR=...        copy the per-message verdicts (name<TAB>verdict) and the servers' logs there
# Needs: root, unshare, ip, spamd (Debian package spamd), spamass-milter, spamc, rspamd.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD_DIR:-$REPO/build-sabench}
MW_SPAM_BUILD=${MW_SPAM_BUILD:-$REPO/build-spam-bench}
CORPUS=${CORPUS:-$REPO/../shared/testdata/spamassassin-corpus}
EXEC=()
if [[ "${1:-}" == --exec ]]; then
    shift
    EXEC=("$@")
    set --
fi

if [[ "${MW_BENCH_IN_NS:-}" != 1 ]]; then
    if [[ "${SKIP_BUILD:-}" != 1 ]]; then
        cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMW_TESTS=OFF -DMW_WERROR=ON >/dev/null
        ninja -C "$BUILD" -j2 spam_load null_milter syslog_drain
    fi
    for tool in unshare ip /usr/sbin/spamd /usr/sbin/spamass-milter spamc rspamd; do
        command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install spamd spamass-milter rspamd)" >&2; exit 1; }
    done
    [[ -d $CORPUS/ham && -d $CORPUS/spam ]] || { echo "no corpus at $CORPUS" >&2; exit 1; }
    CORPUS=$(cd "$CORPUS" && pwd)
    exec unshare --net --mount --propagation private \
        env MW_BENCH_IN_NS=1 BUILD_DIR="$BUILD" MW_SPAM_BUILD="$MW_SPAM_BUILD" CORPUS="$CORPUS" \
        bash "${BASH_SOURCE[0]}" ${EXEC[@]+--exec "${EXEC[@]}"}
fi

# ---- inside the namespaces ----
LOAD=$BUILD/bench/spam/spam_load
NULL=$BUILD/bench/dkim/null_milter
DRAIN=$BUILD/bench/syslog_drain
MWSPAM=$MW_SPAM_BUILD/milters/spam/mailwarden-spam
CONNS=${CONNS:-1 4}
ROWS=${ROWS:-null spamd rspamd mailwarden}
LIMIT=${LIMIT:-0}
WORK=$(mktemp -d /tmp/mw-spam-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()

source "$REPO/bench/bench_private_dev.sh"
source "$REPO/bench/spam/sa_spamd_setup.sh"
source "$REPO/bench/spam/rspamd_setup.sh"

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    bench_release_dev
    rm -rf "$WORK"
}
trap cleanup EXIT

ip link set lo up
bench_private_dev "$DRAIN"
sa_private_config

# wait_socket SOCKET PID: bounded wait for a server's socket.
wait_socket() {
    for _ in $(seq 300); do [[ -S $1 ]] && return 0; kill -0 "$2" 2>/dev/null || break; sleep 0.1; done
    echo "no socket $1:" >&2
    tail -20 "$WORK/servers.log" >&2
    exit 1
}

# start ROW: starts the row's servers; sets SOCK and ROOTS (pids whose process trees are measured).
start() {
    case $1 in
    null)
        "$NULL" "local:$WORK/null.sock" >>"$WORK/servers.log" 2>&1 &
        PIDS+=("$!"); NULL_PID=$!; ROOTS=("$!"); SOCK=$WORK/null.sock
        wait_socket "$SOCK" "$NULL_PID" ;;
    spamd)
        sa_start_spamd "$WORK/spamd.sock" 2
        /usr/sbin/spamass-milter -p "$WORK/spamass.sock" -m -- -U "$WORK/spamd.sock" -s 67108864 \
            >>"$WORK/servers.log" 2>&1 &
        PIDS+=("$!"); SPAMASS_PID=$!; ROOTS=("$SPAMD_PID" "$SPAMASS_PID"); SOCK=$WORK/spamass.sock
        wait_socket "$SOCK" "$SPAMASS_PID" ;;
    rspamd)
        rspamd_start "$WORK/rspamd/run/proxy.sock"
        ROOTS=("$RSPAMD_PID"); SOCK=$WORK/rspamd/run/proxy.sock ;;
    mailwarden)
        rm -f "$WORK/mw.sock"   # a stale socket file would pass wait_socket before the rules compiled
        "$MWSPAM" -f -o "listen=unix:$WORK/mw.sock" -o log_target=stderr >>"$WORK/mailwarden.log" 2>&1 &
        PIDS+=("$!"); MW_PID=$!; ROOTS=("$!"); SOCK=$WORK/mw.sock
        wait_socket "$SOCK" "$MW_PID" ;;
    esac
}

# stop: ends the row's servers and forgets their pids (cleanup must not signal a reused pid).
stop() {
    local pid keep=() root gone
    for pid in "${ROOTS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${ROOTS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        gone=0
        for root in "${ROOTS[@]}"; do [[ $pid == "$root" ]] && gone=1; done
        [[ $gone == 1 ]] || keep+=("$pid")
    done
    PIDS=("${keep[@]}")
}

if [[ ${#EXEC[@]} -gt 0 ]]; then
    for row in $ROWS; do
        [[ $row == mailwarden && ! -x $MWSPAM ]] && continue
        start "$row"
        printf -v "${row^^}_SOCK" '%s' "$SOCK"
    done
    export WORK LOAD CORPUS NULL_SOCK SPAMD_SOCK RSPAMD_SOCK MAILWARDEN_SOCK SPAMD_PID SPAMASS_PID RSPAMD_PID
    "${EXEC[@]}"
    exit
fi

RESULTS=$WORK/results.txt
: >"$RESULTS"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for row in $ROWS; do
    if [[ $row == mailwarden && ! -x $MWSPAM ]]; then
        echo "  mailwarden: $MWSPAM not built, row skipped" >&2
        continue
    fi
    # rspamd compiles its regexps into a hyperscan cache (DBDIR) at its first start: a host that
    # runs it has that cache, so one start and stop first, unmeasured.
    if [[ $row == rspamd ]]; then start rspamd; stop; fi
    # A fresh server per connection count: memory after the run is that row's own.
    for conns in $CONNS; do
        echo "  $row/c$conns" >&2
        start "$row"
        pid_flags=()
        for pid in "${ROOTS[@]}"; do pid_flags+=(--pid "$pid"); done
        "$LOAD" --name "$row/c$conns" --unix "$SOCK" --corpus "$CORPUS" --conns "$conns" --limit "$LIMIT" \
            --verdicts "$WORK/verdicts-$row-c$conns.tsv" "${pid_flags[@]}" | tee -a "$RESULTS" >&2 \
            || echo "RESULT name=$row/c$conns failed=1" >>"$RESULTS"
        stop
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

awk -f "$REPO/bench/spam/spam_table.awk" "$RESULTS"
if [[ -n ${KEEP_DIR:-} ]]; then
    mkdir -p "$KEEP_DIR"
    cp "$WORK"/verdicts-*.tsv "$WORK"/*.log "$KEEP_DIR"/ 2>/dev/null || true
    cp "$WORK"/rspamd/log/rspamd.log "$KEEP_DIR"/ 2>/dev/null || true
fi
