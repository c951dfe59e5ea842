#!/usr/bin/env python3
"""A slow OpenAI-style streaming upstream (stdlib only): answers any POST with the 20-chunk
chat.completion.chunk stream, one chunk every 100 ms, then `data: [DONE]`, and closes the connection.

  slow_upstream.py PORT [INTERVAL_S]
"""
import asyncio, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from payloads import stream_events

EVENTS = [e.encode() for e in stream_events()]
INTERVAL = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1

async def handle(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        if length:
            await reader.readexactly(length)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
        for i, ev in enumerate(EVENTS):
            if i:
                await asyncio.sleep(INTERVAL)
            writer.write(ev)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]), backlog=4096)
    async with server:
        await server.serve_forever()

asyncio.run(main())
