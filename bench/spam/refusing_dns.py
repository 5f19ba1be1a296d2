#!/usr/bin/env python3
"""A DNS server that answers every UDP query at once with REFUSED (the query echoed, QR set,
RCODE 5), so a server pointed at it fails its lookups fast instead of waiting out timeouts.

usage: refusing_dns.py ADDRESS PORT
"""
import socket
import sys

HEADER_SIZE = 12


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[1], int(sys.argv[2])))
    while True:
        query, peer = s.recvfrom(4096)
        if len(query) < HEADER_SIZE:
            continue
        flags = bytes([query[2] | 0x80, (query[3] & 0xF0) | 5])
        s.sendto(query[:2] + flags + query[4:], peer)


if __name__ == "__main__":
    main()
