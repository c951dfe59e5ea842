#!/usr/bin/env python3
"""Opens N concurrent streaming requests (stdlib asyncio) and reads each to its end.

  slow_client.py HOST PORT PATH BODY_FILE N
Prints: ok=<streams that ended with [DONE]> failed=<others> seconds=<wall time>
"""
import asyncio, sys, time

host, port, path, body_file, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
body = open(body_file, "rb").read()
req = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
       f"Authorization: Bearer sk-bench\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body

async def one():
    try:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(req)
        await writer.drain()
        data = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                break
            data += chunk
            if b"data: [DONE]" in data and data.endswith(b"0\r\n\r\n"):
                break
        writer.close()
        return b" 200 " in data[:20] and b"data: [DONE]" in data
    except Exception:
        return False

async def main():
    t = time.monotonic()
    results = await asyncio.gather(*(one() for _ in range(n)))
    ok = sum(results)
    print(f"ok={ok} failed={n - ok} seconds={time.monotonic() - t:.2f}")

asyncio.run(main())
