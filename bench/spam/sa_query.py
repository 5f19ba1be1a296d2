#!/usr/bin/env python3
"""Asks a running spamd (SPAMC/1.5 protocol, SYMBOLS command) about each message, WORKERS at a
time, and prints `folder/file<TAB>score<TAB>RULE1,RULE2,...` per message, sorted by name.

One SYMBOLS request gives both the score (the `Spam:` response header, spamd formats it with
one decimal) and the names of the rules hit: half the work of `spamc -c` plus `spamc -y`.

usage: sa_query.py SOCKET CORPUS_DIR WORKERS > OUT.tsv
"""
import concurrent.futures
import os
import re
import socket
import sys
import time

SPAM_HEADER = re.compile(rb"^Spam: (True|False) ; (-?[0-9.]+) / (-?[0-9.]+)\r?$", re.M)
TIMEOUT_SECONDS = 600


def ask(sock_path, path):
    with open(path, "rb") as f:
        body = f.read()
    request = (b"SYMBOLS SPAMC/1.5\r\nContent-length: %d\r\nUser: nobody\r\n\r\n" % len(body)) + body
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(TIMEOUT_SECONDS)
        s.connect(sock_path)
        s.sendall(request)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    reply = b"".join(chunks)
    head, _, symbols = reply.partition(b"\r\n\r\n")
    match = SPAM_HEADER.search(head)
    if not match:
        raise RuntimeError(f"{path}: unexpected reply {head[:200]!r}")
    return match.group(2).decode(), symbols.decode().strip()


def main():
    sock_path, corpus, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    names = sorted(f"{folder}/{name}" for folder in ("ham", "spam")
                   for name in os.listdir(os.path.join(corpus, folder)) if name.endswith(".eml"))
    started = time.monotonic()
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(ask, sock_path, os.path.join(corpus, name)) for name in names}
        for done, name in enumerate(names, 1):
            try:
                score, rules = futures[name].result()
                print(f"{name}\t{score}\t{rules}", flush=True)
            except (OSError, RuntimeError) as error:
                failures += 1
                print(f"sa_query: {name}: {error}", file=sys.stderr)
            if done % 250 == 0:
                print(f"sa_query: {done}/{len(names)} in {time.monotonic() - started:.0f} s",
                      file=sys.stderr, flush=True)
    print(f"sa_query: {len(names)} messages, {failures} failed, {time.monotonic() - started:.0f} s",
          file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
