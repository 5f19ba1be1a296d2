#!/usr/bin/env bash
# The reference run: Debian's SpamAssassin 4.0.1 (spamd, -L: local tests only, Bayes and
# auto-learning off, stock rules and plugins, no user prefs) over every message of the corpus,
# 2 at a time. One line per message: `folder/file<TAB>score<TAB>RULE1,RULE2,...` (score as spamd
# reports it, one decimal). mailwarden-spam's verdicts are compared with this file.
# Runs in a network and mount namespace of its own (lo only, a private resolv.conf naming
# 127.0.0.1 where nothing listens): SpamAssassin cannot reach anything. About 10 to 20 minutes
# on 2 shared cores. Not run by CI.
#
# usage: bench/spam/sa_reference.sh OUT.tsv        (e.g. /work/sa-ref/sa_ref.tsv)
#   CORPUS=...   default: ../shared/testdata/spamassassin-corpus next to the repository
#   WORKERS=N    spamd children and parallel requests (default 2)
# Needs: root, unshare, ip, spamd (Debian package spamd), python3.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:?usage: sa_reference.sh OUT.tsv}
CORPUS=${CORPUS:-$REPO/../shared/testdata/spamassassin-corpus}
WORKERS=${WORKERS:-2}

if [[ "${MW_BENCH_IN_NS:-}" != 1 ]]; then
    [[ -x /usr/sbin/spamd ]] || { echo "missing: /usr/sbin/spamd (apt-get install spamd)" >&2; exit 1; }
    [[ -d $CORPUS/ham && -d $CORPUS/spam ]] || { echo "no corpus at $CORPUS" >&2; exit 1; }
    mkdir -p "$(dirname "$OUT")"
    OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
    CORPUS=$(cd "$CORPUS" && pwd)
    exec unshare --net --mount --propagation private \
        env MW_BENCH_IN_NS=1 CORPUS="$CORPUS" WORKERS="$WORKERS" bash "${BASH_SOURCE[0]}" "$OUT"
fi

# ---- inside the namespaces ----
WORK=$(mktemp -d /tmp/mw-sa-ref.XXXXXX)
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

source "$REPO/bench/spam/sa_spamd_setup.sh"
sa_private_config
sa_start_spamd "$WORK/spamd.sock" "$WORKERS"
echo "spamd $(/usr/sbin/spamd --version | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 "$REPO/bench/spam/sa_query.py" "$WORK/spamd.sock" "$CORPUS" "$WORKERS" >"$OUT.part"
mv "$OUT.part" "$OUT"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(wc -l <"$OUT") lines in $OUT" >&2
if grep -qE '\b(warn|error)\b' "$WORK/spamd.log"; then
    echo "spamd warnings and errors:" >&2
    grep -E '\b(warn|error)\b' "$WORK/spamd.log" | cut -c 30- | sort | uniq -c | sort -rn | head -10 >&2
fi
