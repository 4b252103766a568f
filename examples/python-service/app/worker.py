"""Background worker that polls a job queue."""
import logging
import time

log = logging.getLogger(__name__)


class JobWorker:
    def __init__(self, queue, poll_interval: float = 0.5) -> None:
        self.queue = queue
        self.poll_interval = poll_interval

    async def run(self) -> None:
        while True:
            job = await self.queue.get()
            if job is None:
                # Nothing to do yet: wait before asking again.
                time.sleep(self.poll_interval)
                continue
            await self.handle(job)

    async def handle(self, job) -> None:
        log.info("handling %s", job)

    def drain_blocking(self) -> None:
        # A synchronous helper: sleeping here is fine, it never runs on the event loop.
        while not self.queue.empty():
            time.sleep(0.1)
