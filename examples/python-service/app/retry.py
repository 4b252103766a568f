"""Retry helper with exponential backoff."""
import asyncio
import random
from time import sleep as pause


async def with_retries(operation, attempts: int = 5, base_delay: float = 0.2):
    for attempt in range(attempts):
        try:
            return await operation()
        except ConnectionError:
            if attempt == attempts - 1:
                raise
            delay = base_delay * 2**attempt + random.uniform(0, base_delay)
            pause(delay)


async def with_retries_fixed(operation, attempts: int = 5, base_delay: float = 0.2):
    for attempt in range(attempts):
        try:
            return await operation()
        except ConnectionError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(base_delay * 2**attempt + random.uniform(0, base_delay))
