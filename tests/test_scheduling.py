"""Scheduling rules on their own: admission (documents in the pool, streams' and unary calls' alike), the
pool's fair queue, when a worker is recycled."""
from __future__ import annotations

import asyncio

import pytest

from quotes_service.server.admission import Admission
from quotes_service.workers import EnginePool, Job, _FairQueue, _Slot


def test_unary_calls_are_turned_away_only_when_the_pool_is_full():
    admission = Admission(capacity=3, reserve=1)
    assert [admission.try_enter() for _ in range(4)] == [True, True, True, False]
    admission.leave(stream=False)
    assert admission.try_enter()


def test_streams_wait_for_room_and_leave_the_reserve_to_unary_calls():
    async def run() -> None:
        admission = Admission(capacity=4, reserve=2)  # streams hold 2 at most
        await admission.enter_stream()
        await admission.enter_stream()
        third = asyncio.ensure_future(admission.enter_stream())
        await asyncio.sleep(0)
        assert not third.done() and admission.waiting == 1
        assert admission.try_enter() and admission.try_enter()  # the reserve
        assert not admission.try_enter()
        admission.leave(stream=False)  # a unary call's room: streams are at their share, so it stays free
        assert not third.done() and admission.used == 3
        admission.leave(stream=True)  # a stream's room goes to the waiting stream document at once
        await asyncio.sleep(0)
        assert third.done() and admission.used == 3 and admission.streamed == 2
        assert admission.try_enter() and not admission.try_enter()

    asyncio.run(run())


def test_a_freed_room_goes_to_the_waiting_stream_before_a_new_call():
    async def run() -> None:
        admission = Admission(capacity=2, reserve=0)
        assert admission.try_enter() and admission.try_enter()
        waiting = asyncio.ensure_future(admission.enter_stream())
        await asyncio.sleep(0)
        admission.leave(stream=False)
        assert not admission.try_enter(), "the room was handed to the stream"
        await waiting
        assert admission.streamed == 1

    asyncio.run(run())


def test_a_stream_document_that_gives_up_waiting_takes_no_room():
    async def run() -> None:
        admission = Admission(capacity=1, reserve=0)
        await admission.enter_stream()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(admission.enter_stream(), 0.01)
        admission.leave(stream=True)
        assert admission.used == 0 and admission.waiting == 0

    asyncio.run(run())


def test_the_pool_serves_owners_in_turn():
    jobs = _FairQueue()
    stream_a, stream_b = object(), object()

    def job(owner: object, name: str) -> Job:
        made = Job(0, None, owner, None)  # type: ignore[arg-type]
        made.name = name  # type: ignore[attr-defined]
        jobs.put(made)
        return made

    for i in range(3):
        job(stream_a, f"a{i}")
    for i in range(2):
        job(stream_b, f"b{i}")
    single = job(None, "u")
    order = [jobs.take() for _ in range(len(jobs))]
    assert [j.name for j in order] == ["a0", "b0", "u", "a1", "b1", "a2"]  # type: ignore[union-attr]
    assert jobs.take() is None and not jobs.remove(single)


def test_a_worker_is_recycled_past_its_limits_one_at_a_time():
    pool = EnginePool(2, max_documents=3, max_rss_mb=500)
    first, second = _Slot(pool, 0), _Slot(pool, 1)
    pool._slots = [first, second]
    first.ready = second.ready = True
    first.documents, first.rss_bytes = 2, 400 * 2**20
    assert pool.recycle_reason(first) == ""
    first.documents = 3
    assert pool.recycle_reason(first) == "documents"
    first.documents, first.rss_bytes = 1, 501 * 2**20
    assert pool.recycle_reason(first) == "memory"
    second.ready = False  # the other worker is being replaced: this one waits for its turn
    assert pool.recycle_reason(first) == ""
    assert EnginePool(2).recycle_reason(first) == "", "no limits: never"
