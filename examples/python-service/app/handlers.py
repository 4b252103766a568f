"""HTTP handlers of the service: a few classic asyncio mistakes next to their fixed forms."""
import asyncio
import logging

import aiohttp

from app.worker import JobWorker

log = logging.getLogger(__name__)
API = "https://api.example.com"


async def notify(user_id: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{API}/notify", json={"user": user_id}) as response:
            response.raise_for_status()


async def place_order(user_id: str, worker: JobWorker) -> dict:
    # Fire-and-forget: the task may be garbage-collected and its error is lost.
    asyncio.create_task(notify(user_id))
    # Forgotten await: the job is never handled.
    worker.handle({"user": user_id})
    return {"status": "accepted"}


async def fetch_profile(user_id: str) -> dict:
    # A session per call, never closed.
    session = aiohttp.ClientSession()
    response = await session.get(f"{API}/users/{user_id}")
    return await response.json()


async def consume(queue: asyncio.Queue) -> None:
    while True:
        try:
            job = await queue.get()
            log.info("job %s", job)
        except asyncio.CancelledError:
            log.info("consumer stopping")


_background: set[asyncio.Task[None]] = set()


async def place_order_fixed(user_id: str, worker: JobWorker) -> dict:
    task = asyncio.create_task(notify(user_id))
    _background.add(task)
    task.add_done_callback(_background.discard)
    await worker.handle({"user": user_id})
    return {"status": "accepted"}
