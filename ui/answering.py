"""One answer made in a worker thread for an async server, with a time limit.

The answer stream (`rag.stream_answer`) is synchronous: a thread runs it and hands its events to
the request through a queue. When the client goes away or the time limit passes, the thread
stops at the next piece and closes the stream, which stops the LLM mid-answer.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Iterator

from rag.errors import RagError


class TimedOut(RagError):
    """A request that ran past RAG_REQUEST_TIMEOUT_S."""

    def __init__(self, limit_s: float) -> None:
        super().__init__(f"the answer took over {limit_s:g} s and was stopped; ask again, or raise RAG_REQUEST_TIMEOUT_S")


@dataclass(frozen=True)
class Queued:
    """An event before the answer's: every turn is taken, this request is `position` in the queue."""

    position: int


_END = object()


class Answering:
    """One answer made in a worker thread, its events handed over through a queue. It stops at the
    next piece when the client goes away or the time limit passes."""

    def __init__(self, events: Iterator[Any], deadline: float, limit_s: float,
                 on_done: Callable[[], None] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.stop = threading.Event()
        self.done = asyncio.Event()  # the thread has finished and closed the stream
        self.on_done = on_done  # called on the event loop once it has
        self.deadline, self.limit_s = deadline, limit_s
        threading.Thread(target=self._produce, args=(events,), daemon=True, name="answer").start()

    def _put(self, item: Any) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, item)

    def _produce(self, events: Iterator[Any]) -> None:
        try:
            for event in events:
                self._put(event)
                if self.stop.is_set() or time.monotonic() > self.deadline:
                    break
        except Exception as exc:  # handed to the request, which answers with it
            self._put(exc)
        finally:
            events.close()  # type: ignore[attr-defined]  # stops the LLM mid-answer when we broke out
            self._put(_END)
            self.loop.call_soon_threadsafe(self._finished)

    def _finished(self) -> None:
        self.done.set()
        if self.on_done is not None:
            self.on_done()

    async def events(self) -> AsyncIterator[Any]:
        try:
            while True:
                try:
                    item = await asyncio.wait_for(self.queue.get(), max(0.0, self.deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    raise TimedOut(self.limit_s) from None
                if item is _END:
                    return
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            self.stop.set()
            await self.done.wait()  # the turn is over only when the stream is closed (it stops at its next piece)
