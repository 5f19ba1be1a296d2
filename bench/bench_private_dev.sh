# Sourced by the bench scripts, inside their mount namespace: a private /dev (a tmpfs) with the
# few host devices the servers use, and /dev/log served by syslog_drain (reads and drops the
# lines), so daemons log for real as on a mail host. Needs WORK (a temp dir) and PIDS (array).
# Usage: bench_private_dev DRAIN_BINARY; in the EXIT trap: bench_release_dev (before rm -rf WORK).
BENCH_DEV_KEEP=(null zero full random urandom tty)

bench_private_dev() {
    local drain=$1 n
    mkdir "$WORK/dev"
    for n in "${BENCH_DEV_KEEP[@]}"; do touch "$WORK/dev/$n"; mount --bind "/dev/$n" "$WORK/dev/$n"; done
    mount -t tmpfs -o mode=755 tmpfs /dev
    for n in "${BENCH_DEV_KEEP[@]}"; do touch "/dev/$n"; mount --bind "$WORK/dev/$n" "/dev/$n"; done
    mkdir -m 1777 /dev/shm
    ln -s /proc/self/fd /dev/fd
    for n in 0 1 2; do ln -s "/proc/self/fd/$n" "/dev/$(echo stdin stdout stderr | cut -d' ' -f$((n + 1)))"; done
    "$drain" /dev/log >"$WORK/syslog_drain.log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 50); do [[ -S /dev/log ]] && break; sleep 0.05; done
    [[ -S /dev/log ]] || { echo "syslog_drain did not start" >&2; exit 1; }
}

# The device bind mounts first: rm must never see a device (it would only get EBUSY).
bench_release_dev() {
    local n
    for n in "${BENCH_DEV_KEEP[@]}"; do umount "$WORK/dev/$n" 2>/dev/null || true; done
}
