#!/usr/bin/env bash
# The README's first command: installs what is needed, builds, brings up the whole mail stack of
# the end-to-end tests (a real Postfix, Dovecot, unbound, rbldnsd, rsyslog and every mailwarden
# daemon, wired as the README says) inside a private network namespace, sends sample messages
# (legitimate, SPF-forged, DNSBL-listed client, blocklisted sender, signed submission) and prints
# what happened to each with the mail.log lines that explain it. Nothing touches the machine's
# own Postfix, Dovecot or resolver. `--hold` keeps the stack up with a shell inside it, to try
# your own mail with swaks (e.g. swaks --server 127.0.0.1 --to alice@example.com).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
echo "== building"
cmake -S . -B build-demo -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMW_TESTS=OFF -DMW_BENCH=OFF >/dev/null
ninja -C build-demo mailwarden-policyd mailwarden-dkim mailwarden-dnsbl mailwarden >/dev/null
echo "== starting the stack and sending the samples"
BUILD=build-demo exec bash scripts/e2e.sh --demo "$@"
