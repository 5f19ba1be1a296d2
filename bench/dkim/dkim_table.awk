# The table of run_dkim_bench.sh: awk -f dkim_table.awk OPENSSL_SPEED_OUTPUT RESULTS
# RESULTS holds dkim_load's RESULT lines, named MODE/KEY/SIZE/cCONNS/SERVER or null/SIZE/cCONNS;
# a name run more than once keeps its lowest CPU per message (the least disturbed round).
# The floor of a scenario is the do-nothing milter's CPU per message at the same size and
# connections plus what OpenSSL needs for its signatures (sign or verify; both keys for dual).
function kv(line, key,   re) {
    re = " " key "=[^ ]*"
    if (match(" " line, re)) return substr(" " line, RSTART + length(key) + 2, RLENGTH - length(key) - 2)
    return ""
}
FNR == NR && /^rsa 2048 bits/ { rsa_sign = 1000 / $(NF - 1); rsa_verify = 1000 / $NF }
FNR == NR && /Ed25519/        { ed_sign = 1000 / $(NF - 1); ed_verify = 1000 / $NF }
FNR == NR { next }
/^RESULT/ {
    n = kv($0, "name")
    if (!(n in cpu)) { names[++count] = n; cpu[n] = -1 }
    if (kv($0, "unsupported") == 1) { flag[n] = "  not supported (opendkim 2.11: one SignatureAlgorithm per instance)"; next }
    bad = kv($0, "failed") == 1 || kv($0, "errors") > 0 || kv($0, "unexpected") > 0
    if (bad) flag[n] = "  ERRORS"
    c = kv($0, "cpu_ms_per_msg") + 0
    if (!bad && c > 0 && (cpu[n] < 0 || c < cpu[n])) {
        cpu[n] = c; mps[n] = kv($0, "mps") + 0; p99[n] = kv($0, "p99_us") / 1000
        check[n] = sprintf("signed=%s pass=%s other=%s", kv($0, "signed"), kv($0, "pass"), kv($0, "other"))
    }
}
function crypto(mode, key) {
    if (key == "rsa") return mode == "sign" ? rsa_sign : rsa_verify
    if (key == "ed") return mode == "sign" ? ed_sign : ed_verify
    return crypto(mode, "rsa") + crypto(mode, "ed")
}
function ratio(a, b) { return a > 0 && b > 0 ? sprintf("%.2f", a / b) : "n/a" }
function row(scen, server, floor,   n, od) {
    n = scen "/" server; od = scen "/opendkim"
    if (!(n in cpu) || cpu[n] < 0) { printf "%-18s %-10s %s\n", scen, server, flag[n] != "" ? flag[n] : "  no valid run"; return }
    printf "%-18s %-10s %8.0f %8.3f %8.1f %9s %9s %9s  %s%s\n", scen, server, mps[n], cpu[n], p99[n],
           ratio(mps[n], mps[od]), ratio(cpu[n], cpu[od]), ratio(cpu[n], floor), check[n], flag[n]
}
END {
    printf "\nopenssl speed (ms per operation): rsa2048 sign %.3f verify %.3f, ed25519 sign %.3f verify %.3f\n",
           rsa_sign, rsa_verify, ed_sign, ed_verify
    printf "\n%-18s %-10s %8s %8s %8s %9s %9s %9s  %s\n", "scenario", "server", "msgs/s", "cpu ms", "p99 ms",
           "mps/odkim", "cpu/odkim", "cpu/floor", "check (dkim_load's count of edits)"
    for (i = 1; i <= count; i++) {
        split(names[i], p, "/")
        if (p[1] == "null") {
            n = names[i]
            if (cpu[n] > 0) printf "%-18s %-10s %8.0f %8.3f %8.1f\n", n, "null", mps[n], cpu[n], p99[n]
            else printf "%-18s %-10s  no valid run%s\n", n, "null", flag[n]
            continue
        }
        if (p[5] != "mailwarden") continue
        scen = p[1] "/" p[2] "/" p[3] "/" p[4]
        floor = cpu["null/" p[3] "/" p[4]] + crypto(p[1], p[2])
        row(scen, "mailwarden", floor)
        row(scen, "opendkim", floor)
        printf "%-18s %-10s %8s %8.3f\n", scen, "floor", "", floor
    }
    print "\ncpu ms = server CPU (utime+stime, all threads) per message; mps/odkim and cpu/odkim: this server"
    print "against opendkim in the same scenario; cpu/floor: against the floor (do-nothing milter + OpenSSL)."
}
