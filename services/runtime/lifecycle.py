"""Process lifecycle shared by the services: start, run until SIGTERM/SIGINT, drain.

On a signal the service stops taking work, finishes what is in flight within the drain timeout
(kept below the pod's termination grace period), flushes, commits, closes, logs one summary
line and exits 0. A crash of the main task exits 1: the orchestrator restarts the process and
it resumes from the last committed offset.
"""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any, Protocol

from services.runtime.logging import get_logger

log = get_logger("fieldwatch.lifecycle")


class Service(Protocol):
    name: str

    async def start(self) -> None: ...

    async def run(self) -> None: ...

    def request_stop(self) -> None: ...

    async def close(self) -> None: ...

    def summary(self) -> dict[str, Any]: ...


async def serve(service: Service, *, drain_timeout: float) -> int:
    """Run `service` until a signal or a crash; return the process exit code."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    started = time.monotonic()
    code = 0
    try:
        await service.start()
        log.info("service_started")
        main = asyncio.create_task(service.run(), name=f"{service.name}-run")
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({main, stopper}, return_when=asyncio.FIRST_COMPLETED)
        drained = True
        if stop.is_set() and not main.done():
            log.info("drain_started", drain_timeout=drain_timeout)
            service.request_stop()
            done, _ = await asyncio.wait({main}, timeout=drain_timeout)
            if not done:
                drained = False
                main.cancel()
                await asyncio.gather(main, return_exceptions=True)
        stopper.cancel()
        if main.done() and not main.cancelled() and main.exception() is not None:
            exc = main.exception()
            log.error("service_crashed", error=repr(exc), exc_info=exc)
            code = 1
        elif not stop.is_set():
            log.info("service_finished")
        await asyncio.wait_for(service.close(), timeout=max(1.0, drain_timeout))
        log.info(
            "service_stopped",
            exit_code=code,
            drained=drained,
            uptime_seconds=round(time.monotonic() - started, 3),
            **service.summary(),
        )
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
    return code
