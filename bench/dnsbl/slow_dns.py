#!/usr/bin/env python3
# slow_dns.py ADDR PORT DELAY_MS: the slow DNS list of run_dnsbl_bench.sh. Answers every UDP
# query NXDOMAIN (not listed), authoritative, after DELAY_MS: unbound cannot delay its own
# answers, so the bench's unbound sends the slow zone here (stub-zone). Loopback only.
import asyncio
import struct
import sys


class SlowList(asyncio.DatagramProtocol):
    def __init__(self, delay):
        self.delay = delay
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, peer):
        if len(data) < 17:
            return
        end = 12
        while end < len(data) and data[end] != 0:
            end += data[end] + 1
        question = data[12:end + 5]
        rd = struct.unpack("!H", data[2:4])[0] & 0x0100
        header = data[:2] + struct.pack("!HHHHH", 0x8400 | rd | 3, 1, 0, 0, 0)
        asyncio.get_running_loop().call_later(self.delay, self.transport.sendto, header + question, peer)


async def main():
    addr, port, delay_ms = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: SlowList(delay_ms / 1000), local_addr=(addr, port))
    await asyncio.Event().wait()


asyncio.run(main())
