# Sourced by bench/spam/sa_reference.sh and bench/spam/run_spam_bench.sh, inside their network
# and mount namespace: a private SpamAssassin site config ($WORK/sa-site: the stock plugins of
# /etc/spamassassin/*.pre and bench/spam/sa_local.cf as local.cf; Debian's 65_debian.cf is left
# out: the stock rules are /usr/share/spamassassin), a HOME of its own, and a private
# /etc/resolv.conf naming 127.0.0.1 where nothing listens, so any DNS attempt fails at once.
# Needs REPO, WORK and PIDS (array). sa_start_spamd SOCKET CHILDREN starts spamd -L -x on a unix
# socket and waits (bounded) until it answers; sets SPAMD_PID.

sa_private_config() {
    mkdir -m 755 "$WORK/sa-site" "$WORK/sa-home"
    cp /etc/spamassassin/*.pre "$WORK/sa-site/"
    cp "$REPO/bench/spam/sa_local.cf" "$WORK/sa-site/local.cf"
    chown nobody "$WORK/sa-home"
    echo "nameserver 127.0.0.1" >"$WORK/resolv.conf"
    mount --bind "$WORK/resolv.conf" /etc/resolv.conf
}

sa_start_spamd() {
    local sock=$1 children=$2
    rm -f "$sock"
    /usr/sbin/spamd -L -x -u nobody -H "$WORK/sa-home" --siteconfigpath="$WORK/sa-site" \
        --max-children="$children" --min-children="$children" --min-spare=1 --max-spare="$children" \
        --socketpath="$sock" --socketmode=0666 -s stderr >>"$WORK/spamd.log" 2>&1 &
    PIDS+=("$!")
    SPAMD_PID=$!
    # spamd compiles every rule before it listens: several seconds.
    for _ in $(seq 600); do
        if [[ -S $sock ]] && printf 'PING SPAMC/1.5\r\n\r\n' | timeout 5 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.stdin.buffer.read())
sys.exit(0 if b"PONG" in s.recv(100) else 1)' "$sock" 2>/dev/null; then
            return 0
        fi
        kill -0 "$SPAMD_PID" 2>/dev/null || break
        sleep 0.2
    done
    echo "spamd did not start:" >&2
    tail -20 "$WORK/spamd.log" >&2
    exit 1
}
