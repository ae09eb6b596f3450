"""A cheap HTTP/1.1 load generator: raw asyncio sockets, keep-alive, requests prepared as bytes.

httpx spends 5 to 7 ms of CPU per request (a whole core at the rates measured here), so the
benchmarks that push a server at hundreds of requests a second send them with this instead: one
connection per client, the request's bytes built once, the response read by its Content-Length.
"""

from __future__ import annotations

import asyncio
import json
import time


def request_bytes(method: str, host: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"host: {host}", f"content-length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Connection:
    """One keep-alive connection; `send` returns (status, body)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, data: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length, close = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding":
                raise RuntimeError("chunked responses are not read by this client")
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def burst(host: str, port: int, requests: list[bytes], concurrency: int, expect: int = 201) -> dict:
    """Sends `requests` through `concurrency` connections, each request once; returns the elapsed
    seconds, the latencies (seconds, sorted) and the failures (status and body)."""
    queue = list(reversed(requests))
    latencies: list[float] = []
    failures: list[str] = []
    bodies: list[bytes] = []

    async def client() -> None:
        connection = Connection(host, port)
        try:
            while queue:
                data = queue.pop()
                sent = time.perf_counter()
                status, body = await connection.send(data)
                latencies.append(time.perf_counter() - sent)
                if status != expect:
                    failures.append(f"{status} {body[:200]!r}")
                else:
                    bodies.append(body)
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"elapsed": elapsed, "latencies": latencies, "failures": failures, "bodies": bodies}


async def call(host: str, port: int, method: str, path: str, headers: dict[str, str], payload=None) -> tuple[int, object]:
    """One JSON request on a fresh connection (the set-up steps of a benchmark)."""
    body = b"" if payload is None else json.dumps(payload).encode()
    connection = Connection(host, port)
    try:
        status, answer = await connection.send(request_bytes(method, f"{host}:{port}", path, {"content-type": "application/json", **headers}, body))
    finally:
        connection.close()
    return status, json.loads(answer) if answer else None
