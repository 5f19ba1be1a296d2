#!/usr/bin/env bash
# The README's first command: installs what is needed, builds, starts a DNS server on loopback
# with a small sample zone, starts mailwarden-policyd on a local socket against it, and shows its
# answers to a set of Postfix-like policy requests. Everything stays on 127.0.0.1; it never
# touches the machine's resolver or its Postfix. Stops everything when done.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
echo "== building"
cmake -S . -B build-demo -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMW_TESTS=OFF -DMW_BENCH=OFF >/dev/null
ninja -C build-demo mailwarden-policyd >/dev/null

work=$(mktemp -d /tmp/mwdemo.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/unbound.conf" <<CONF
server:
  interface: 127.0.0.1@$port
  port: $port
  do-daemonize: no
  chroot: ""
  username: ""
  directory: "$work"
  pidfile: "$work/unbound.pid"
  use-syslog: no
  logfile: "$work/unbound.log"
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  local-zone: "." refuse
  local-zone: "example.test." static
  local-data: "example.test. 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60"
  local-data: 'example.test. 300 IN TXT "v=spf1 mx ip4:192.0.2.0/24 include:partner.example.test -all"'
  local-data: "example.test. 300 IN MX 10 mx.example.test."
  local-data: "mx.example.test. 300 IN A 198.51.100.25"
  local-data: 'mx.example.test. 300 IN TXT "v=spf1 a -all"'
  local-data: 'partner.example.test. 300 IN TXT "v=spf1 ip4:203.0.113.0/28 ~all"'
  local-data: 'soft.example.test. 300 IN TXT "v=spf1 ?ip4:192.0.2.1 ~all"'
  local-data: 'broken.example.test. 300 IN TXT "v=spf1 ip4:192.0.2.300 -all"'
remote-control:
  control-enable: no
CONF
unbound -d -c "$work/unbound.conf" & pids+=($!)

cat > "$work/policyd.conf" <<CONF
listen = unix:$work/policyd.sock
log_target = stderr
dns_servers = 127.0.0.1:$port
user = nobody
socket_owner = $(id -un):$(id -gn)
receiver = mx.demo.test
CONF
echo "== mailwarden-policyd -n -c $work/policyd.conf"
build-demo/policyd/mailwarden-policyd -n -c "$work/policyd.conf"
build-demo/policyd/mailwarden-policyd -f -c "$work/policyd.conf" 2>"$work/policyd.log" & pids+=($!)
for _ in $(seq 100); do [ -S "$work/policyd.sock" ] && break; sleep 0.05; done
sleep 0.3  # let unbound finish starting

python3 - "$work/policyd.sock" <<'PY'
import socket, sys
cases = [
    ("legitimate sender from an authorized network", "192.0.2.10", "out1.example.test", "alice@example.test"),
    ("sender's MX host", "198.51.100.25", "mx.example.test", "bob@example.test"),
    ("a partner network, via include:", "203.0.113.5", "mail.partner.test", "carol@example.test"),
    ("forged sender from a foreign network", "203.0.113.99", "spammer.test", "ceo@example.test"),
    ("softfail domain, foreign network", "203.0.113.99", "relay.test", "dave@soft.example.test"),
    ("domain with a broken record", "192.0.2.10", "relay.test", "eve@broken.example.test"),
    ("bounce (null sender): HELO is checked", "198.51.100.25", "mx.example.test", ""),
    ("local client: skipped", "127.0.0.1", "localhost", "root@example.test"),
]
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb")
for i, (what, ip, helo, sender) in enumerate(cases):
    req = (f"request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\n"
           f"client_address={ip}\nclient_name=unknown\nhelo_name={helo}\nsender={sender}\n"
           f"recipient=postmaster@demo.test\ninstance=demo.{i}\nqueue_id=\n\n")
    f.write(req.encode()); f.flush()
    reply = b""
    while not reply.endswith(b"\n\n"):
        line = f.readline()
        if not line: sys.exit("connection closed")
        reply += line
    print(f"\n# {what}\n  client={ip} helo={helo} sender=<{sender}>\n  {reply.decode().strip()}")
PY
echo
echo "== what mailwarden-policyd logged (one line per decision)"
sleep 0.2
cat "$work/policyd.log"
