# Sourced by bench/spam/run_spam_bench.sh inside its namespaces: rspamd 3.4 with Debian's stock
# configuration (/etc/rspamd, unmodified, as CONFDIR) and a LOCAL_CONFDIR of the run's own
# ($WORK/rspamd/local.d) that: serves milter from the rspamd_proxy worker (self_scan, 2
# processes, a unix socket) with no normal or controller worker; adds headers instead of
# rejecting or greylisting (X-Spam: Yes from add_header on, 6 points); sends DNS to
# bench/spam/refusing_dns.py on 127.0.0.1:5353 (every query REFUSED at once, so SPF, DKIM, DMARC
# and HELO lookups fail fast); turns off the network and Redis modules (rbl, surbl, emails, fuzzy_check, dcc,
# external_services: razor and pyzor, asn, neural, ratelimit, greylist, replies, reputation,
# history_redis, url_redirector, rspamd_update, ...); logs to $WORK/rspamd/log/rspamd.log.
# Needs REPO, WORK and PIDS. rspamd_start SOCKET starts it and waits (bounded); sets RSPAMD_PID.

RSPAMD_OFF_MODULES=(rbl surbl emails fuzzy_check dcc external_services asn neural ratelimit greylist
    replies reputation history_redis url_redirector rspamd_update antivirus p0f clickhouse elastic
    metadata_exporter metric_exporter mx_check spamassassin bimi aws_s3)

rspamd_config() {
    local sock=$1 conf=$WORK/rspamd/local.d m
    mkdir -p "$conf" "$WORK/rspamd/override.d" "$WORK/rspamd/db" "$WORK/rspamd/run" "$WORK/rspamd/log"
    for m in "${RSPAMD_OFF_MODULES[@]}"; do echo "enabled = false;" >"$conf/$m.conf"; done
    cat >"$conf/options.inc" <<EOC
dns { nameserver = ["127.0.0.1:5353"]; timeout = 0.2s; retransmits = 1; }
EOC
    cat >"$conf/worker-proxy.inc" <<EOC
bind_socket = "$sock mode=0666";
milter = yes;
self_scan = yes;
count = 2;
upstream "local" { default = yes; self_scan = yes; }
EOC
    echo "count = -1;" >"$conf/worker-normal.inc"
    echo "count = -1;" >"$conf/worker-controller.inc"
    cat >"$conf/actions.conf" <<EOC
reject = null;
greylist = null;
rewrite_subject = null;
EOC
    # Its own log file (LOGDIR, as Debian's default), to read when a row fails.
    echo 'type = "file";' >"$conf/logging.inc"
    chown -R _rspamd "$WORK/rspamd/db" "$WORK/rspamd/run" "$WORK/rspamd/log" 2>/dev/null || true
}

rspamd_vars() {
    echo --var="LOCAL_CONFDIR=$WORK/rspamd" --var="DBDIR=$WORK/rspamd/db" \
        --var="RUNDIR=$WORK/rspamd/run" --var="LOGDIR=$WORK/rspamd/log"
}

rspamd_start() {
    local sock=$1
    rspamd_config "$sock"
    if [[ -z ${REFUSING_DNS_PID:-} ]]; then
        python3 "$REPO/bench/spam/refusing_dns.py" 127.0.0.1 5353 &
        PIDS+=("$!")
        REFUSING_DNS_PID=$!
    fi
    rm -f "$sock"
    # shellcheck disable=SC2046
    rspamd -f -u _rspamd -g _rspamd -c /etc/rspamd/rspamd.conf $(rspamd_vars) >>"$WORK/rspamd.out" 2>&1 &
    PIDS+=("$!")
    RSPAMD_PID=$!
    # Loading compiles the TLD list and the regexps (hyperscan, cached in DBDIR): a minute or more.
    for _ in $(seq 3000); do [[ -S $sock ]] && return 0; kill -0 "$RSPAMD_PID" 2>/dev/null || break; sleep 0.1; done
    echo "rspamd did not create $sock:" >&2
    tail -20 "$WORK/rspamd.out" >&2
    exit 1
}
