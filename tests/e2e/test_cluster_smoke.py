"""Cluster mode end to end: three `ftpgram run` processes on one PostgreSQL and one Redis behind
HAProxy, Telegram delivering by webhook through the load balancer."""

from __future__ import annotations

import signal

import pytest

from tests.support.cluster import ClusterShape
from tests.support.pg import Cluster
from tests.support.telegram_fake import FakeTelegram

# Three cold starts of the whole service, on a machine running other tests at the same time.
# Clusters run one after another on one worker: several at once would starve two cores.
pytestmark = [pytest.mark.timeout(300), pytest.mark.xdist_group("cluster")]


async def test_three_processes_one_leader_and_start_answered_through_the_balancer(
    telegram: FakeTelegram, pg_cluster: Cluster
) -> None:
    async with ClusterShape(n=3, telegram=telegram, pg=pg_cluster) as shape:
        leader = await shape.wait_leader()
        healths = await shape.healths()
        for index, health in enumerate(healths):
            assert health is not None, f"{shape.processes[index].name} does not answer"
            assert health["status"] == "ok", f"{health}\n{shape.logs()}"
            assert health["database"] is True
            assert health["redis"] is True
            assert health["role"] == ("leader" if index == leader else "follower")
        names = [str(health["process"]) for health in healths if health]
        assert len(set(names)) == 3, names

        async with shape.client() as http, http.get(f"{shape.lb_url}/health") as response:
            assert response.status == 200, await response.text()

        user = telegram.user(6001, "Smoke", language_code="en")
        await telegram.send_text(user, "/start")
        reply = await telegram.expect_message(user.id, timeout=30)
        assert "Smoke" in reply.text
        await telegram.wait_delivered()
        posts = [p for p in telegram.webhook_posts if p.delivered]
        assert len(posts) == 1, f"{telegram.webhook_posts}\n{shape.logs()}"
        assert posts[0].url == shape.webhook_url
        assert telegram.webhook_deliveries(posts[0].update_id) == 1
        assert len(telegram.sent_to(user.id)) == 1, [m.text for m in telegram.sent_to(user.id)]

        # A follower crashes: the balancer takes it out and the others carry on; it comes back.
        follower = shape.processes[(leader + 1) % 3]
        follower.kill()
        assert await follower.wait() == -signal.SIGKILL
        await shape.wait_balanced(i for i in range(3) if shape.processes[i] is not follower)
        other = telegram.user(6002, "Second", language_code="en")
        await telegram.send_text(other, "/start")
        assert "Second" in (await telegram.expect_message(other.id, timeout=30)).text
        await follower.restart()
        await shape.wait_balanced(range(3))
        assert await shape.wait_leader() == leader
