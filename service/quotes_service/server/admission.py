"""Admission counts documents, not calls: how many may be in the engine pool at once (running or waiting).

`capacity` (workers + --max-queue) documents at most. A unary call finds room or is turned away
(RESOURCE_EXHAUSTED, QUEUE_FULL). A stream's document waits for room instead, in order of arrival, and a
room that frees goes to the first waiting stream document before any new call can take it, so unary calls
cannot starve streams. Streams together never hold more than `capacity - reserve` (half the queue is kept
for unary calls), and each stream no more than its window (the servicer's), so streams cannot starve unary
calls either. The pool then serves the admitted documents of each stream and each call in turn.
"""
from __future__ import annotations

import asyncio
from collections import deque


class Admission:
    def __init__(self, capacity: int, reserve: int):
        if not 0 <= reserve < capacity:
            raise ValueError("the reserve must leave streams some room")
        self.capacity, self.reserve = capacity, reserve
        self.used = 0  # documents admitted and not yet left, streams' included
        self.streamed = 0  # of which stream documents
        self._waiting: deque[asyncio.Future] = deque()

    @property
    def waiting(self) -> int:
        return sum(not f.done() for f in self._waiting)

    def try_enter(self) -> bool:
        """A unary call's document: True when admitted (call `leave(stream=False)` when it is done)."""
        if self.used >= self.capacity:
            return False
        self.used += 1
        return True

    async def enter_stream(self) -> None:
        """A stream document: waits for room (call `leave(stream=True)` when it is done)."""
        if not self._waiting and self._stream_room():
            self._admit_stream()
            return
        turn = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # admitted just as the caller went away: give it back
                self.leave(stream=True)
            raise

    def leave(self, stream: bool) -> None:
        self.used -= 1
        if stream:
            self.streamed -= 1
        while self._waiting and self._stream_room():
            turn = self._waiting.popleft()
            if not turn.done():
                self._admit_stream()
                turn.set_result(None)

    def _stream_room(self) -> bool:
        return self.used < self.capacity and self.streamed < self.capacity - self.reserve

    def _admit_stream(self) -> None:
        self.used += 1
        self.streamed += 1
