"""`python -m tests.cluster [N]` (or `make cluster`): the cluster shape on this machine, by hand.

N ftpgram processes (default 3) on a throwaway PostgreSQL and Redis behind HAProxy with a test
certificate, Telegram being the fake Bot API server delivering by webhook. It prints where
everything is, checks that /start is answered through the load balancer, and runs until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from tests.support.cluster import ClusterShape


async def run(n: int) -> None:
    task = asyncio.current_task()
    assert task is not None
    # Also SIGINT: a shell that starts this in the background makes Python ignore Ctrl-C.
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, task.cancel)
    print(f"starting {n} ftpgram processes, PostgreSQL, Redis and HAProxy ...", flush=True)
    async with ClusterShape(n=n) as shape:
        fake = shape.fake
        print(f"load balancer  {shape.lb_url}  (CA: {shape.ca_path})")
        print(f"  try          curl --cacert {shape.ca_path} {shape.lb_url}/health")
        print(f"HAProxy stats  http://127.0.0.1:{shape.stats_port}/stats")
        for process in shape.processes:
            print(f"{process.name:14} {process.api_url}  pid {process.pid}  log {process.log_path}")
        print(
            f"  metrics      curl -H 'Authorization: Bearer {shape.metrics_token}' "
            f"{shape.processes[0].api_url}/metrics"
        )
        print(f"PostgreSQL     {shape.database_url}")
        print(f"Redis          {shape.redis_url}")
        print(f"storage        {shape.storage_dir}")
        print(f"fake Telegram  {fake.base_url} (token {fake.token}), webhook {shape.webhook_url}")
        user = fake.user(777, "Manual", language_code="en")
        await fake.send_text(user, "/start")
        reply = await fake.expect_message(user.id, timeout=30)
        print(f"/start through the load balancer was answered: {reply.text[:70]!r}")
        print("running; Ctrl-C stops everything", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
        asyncio.run(run(n))
    print("stopped")


if __name__ == "__main__":
    main()
