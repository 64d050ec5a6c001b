"""A TCP proxy that delays every HTTP request by a fixed time: a brownout of the
AWS emulator, for benchmarks. Standard library only (asyncio).

    python tools/bench/aws_proxy.py --listen 4570 --target 4566 --delay-ms 200 [--stats FILE]

It does not parse HTTP. On each connection, the first bytes the client sends
after the upstream has answered (or on a new connection) start a new request:
they are held for --delay-ms, and everything after them on that connection
queues behind them, so order is kept and keep-alive works. An interim
"100 Continue" does not count as an answer, so a body sent after it is not
delayed a second time. Pipelined requests would share one delay; AWS clients
do not pipeline.
"""
import argparse
import asyncio
import json
import os
import signal
import time

CHUNK = 65536


class Stats:
    def __init__(self, path):
        self.path = path
        self.connections = 0
        self.active = 0
        self.peak_active = 0
        self.requests = 0
        self.upstream_failures = 0

    def opened(self):
        self.connections += 1
        self.active += 1
        self.peak_active = max(self.peak_active, self.active)

    def write(self):
        if not self.path:
            return
        temporary = self.path + ".tmp"
        with open(temporary, "w") as handle:
            json.dump({"connections": self.connections, "active": self.active, "peak_active": self.peak_active,
                       "requests": self.requests, "upstream_failures": self.upstream_failures,
                       "time": time.time()}, handle)
        os.replace(temporary, self.path)


class Connection:
    """One client connection and its upstream connection."""

    def __init__(self, delay, stats):
        self.delay = delay
        self.stats = stats
        self.new_request = True

    async def client_to_upstream(self, reader, writer):
        while data := await reader.read(CHUNK):
            if self.new_request:
                self.new_request = False
                self.stats.requests += 1
                await asyncio.sleep(self.delay)
            writer.write(data)
            await writer.drain()

    async def upstream_to_client(self, reader, writer):
        while data := await reader.read(CHUNK):
            if not data.startswith(b"HTTP/1.1 100 "):
                self.new_request = True
            writer.write(data)
            await writer.drain()


async def handle(client_reader, client_writer, target, delay, stats):
    """Forwards both ways until either side closes or fails, then closes both:
    HTTP clients and servers close only once they are done with a connection."""
    stats.opened()
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target)
    except OSError:
        stats.upstream_failures += 1
        stats.active -= 1
        client_writer.close()
        return
    connection = Connection(delay, stats)
    pumps = [asyncio.create_task(connection.client_to_upstream(client_reader, upstream_writer)),
             asyncio.create_task(connection.upstream_to_client(upstream_reader, client_writer))]
    try:
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in pumps:
            task.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        upstream_writer.close()
        client_writer.close()
        stats.active -= 1


async def write_stats_often(stats):
    while True:
        stats.write()
        await asyncio.sleep(0.2)


async def serve(args):
    stats = Stats(args.stats)
    tasks = set()  # the event loop keeps only weak references to tasks

    def on_connection(reader, writer):
        task = asyncio.create_task(handle(reader, writer, args.target, args.delay_ms / 1000, stats))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(on_connection, "127.0.0.1", args.listen, backlog=4096, reuse_address=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    reporter = asyncio.create_task(write_stats_often(stats))
    print(f"aws proxy 127.0.0.1:{args.listen} -> 127.0.0.1:{args.target}, +{args.delay_ms} ms per request",
          flush=True)
    async with server:
        await stop.wait()
    reporter.cancel()
    stats.write()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", type=int, required=True, help="port to listen on (127.0.0.1)")
    parser.add_argument("--target", type=int, required=True, help="port of the emulator (127.0.0.1)")
    parser.add_argument("--delay-ms", type=float, required=True, help="delay added to each request")
    parser.add_argument("--stats", help="file rewritten five times a second with JSON counters")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
