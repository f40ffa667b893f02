"""A TCP proxy on the loopback interface that delays everything it carries, as a slow
link to a remote office would: the benchmark's ``--slow-link MS`` runs the PostgreSQL
measures through it.

Each direction is delayed by half the round trip, and the order of the bytes is kept.
It also counts round trips: each time the client sends after having received (or first
of all), a request crosses the link and waits for its answer.

    proxy = SlowProxy("127.0.0.1", 5432, round_trip_ms=50).start()
    url = f"postgresql://user@127.0.0.1:{proxy.port}/db"
    ...
    proxy.round_trips  # so far
    proxy.stop()

Loopback only: it listens on 127.0.0.1 and is meant for measuring, never for use.
"""

from __future__ import annotations

import asyncio
import threading
import time
from contextlib import suppress


class SlowProxy:
    """Forwards 127.0.0.1:``port`` to ``host``:``target_port``, ``round_trip_ms`` later."""

    def __init__(self, host: str, target_port: int, *, round_trip_ms: float) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the slow proxy is for the loopback interface only")
        self.host = host
        self.target_port = target_port
        self.delay = round_trip_ms / 2000  # seconds, each way
        self.port = 0
        self.round_trips = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> SlowProxy:
        self._thread.start()
        ready = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = ready.result(timeout=10)
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> SlowProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(
                self.host, self.target_port
            )
        except OSError:
            client_writer.close()
            return
        # Who spoke last on this connection: a request starts when the client speaks
        # after the server did.
        last = {"from": "server"}
        with suppress(asyncio.CancelledError):  # the proxy stopping
            await asyncio.gather(
                self._pipe(client_reader, server_writer, last, "client"),
                self._pipe(server_reader, client_writer, last, "server"),
                return_exceptions=True,
            )
        for writer in (client_writer, server_writer):
            with suppress(Exception):
                writer.close()

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        last: dict[str, str],
        side: str,
    ) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    with suppress(Exception):
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()

        sender = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(65536)
                if side == "client" and data and last["from"] == "server":
                    with self._lock:
                        self.round_trips += 1
                if data:
                    last["from"] = side
                queue.put_nowait((time.monotonic() + self.delay, data))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()
