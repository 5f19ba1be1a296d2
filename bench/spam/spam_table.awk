# Turns spam_load's RESULT lines into the table of bench/spam/run_spam_bench.sh.
# detect: spam flagged / spam; fp: ham flagged / ham.
function field(line, key,    n, i, kv, parts) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; i++) {
        split(parts[i], kv, "=")
        if (kv[1] == key) return kv[2]
    }
    return ""
}
BEGIN {
    printf "%-16s %8s %8s %9s %9s %8s %8s %9s %7s %7s %7s %7s\n", "server/conns", "msgs", "msgs/s",
        "p50 ms", "cpu ms/m", "rss MB", "pss MB", "peak MB", "procs", "detect", "fp", "errors"
}
/^RESULT/ {
    name = field($0, "name")
    if (field($0, "failed") == 1) { printf "%-16s failed\n", name; next }
    spam = field($0, "spam"); ham = field($0, "ham")
    printf "%-16s %8d %8.1f %9.1f %9.2f %8.1f %8.1f %9.1f %7d %6.1f%% %6.2f%% %7d\n", name,
        field($0, "messages"), field($0, "mps"), field($0, "p50_us") / 1000, field($0, "cpu_ms_per_msg"),
        field($0, "rss_mb"), field($0, "pss_mb"), field($0, "peak_rss_mb"), field($0, "procs"),
        (spam > 0 ? 100 * field($0, "spam_flagged") / spam : 0), (ham > 0 ? 100 * field($0, "ham_flagged") / ham : 0),
        field($0, "errors")
}
