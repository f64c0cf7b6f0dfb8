"""What the services hold after a soak, read from their own databases: for works, decisions and relays, how many
times each place applied each one (the source of truth: the outboxes that announced them)."""

import asyncio
from collections import Counter

import asyncpg

from bench.chaos.brokers import Cluster, LocalNode
from bench.chaos.tally import dead_letters, queue_messages, times_applied
from shared.messaging.topology import INTERNAL_EXCHANGE
from tests.support.system import System

WORK, ISSUED, RELAYED = "submissions.work.received", "registry.decision.issued", "registry.decision.relayed"


async def _rows(system: System, service: str, sql: str, *args: object) -> list:
    connection = await asyncpg.connect(system.database(service, driver="postgresql"))
    try:
        return await connection.fetch(sql, *args)
    finally:
        await connection.close()


def _relay_key(decision_id: object, district: object) -> str:
    return f"{decision_id}/d{district}"


async def places(system: System) -> dict[str, dict[str, Counter]]:
    """Per kind (works, decisions, relays), per place, how many times each entity was applied there."""
    q = lambda service, sql, *args: _rows(system, service, sql, *args)  # noqa: E731
    (works, work_events, evaluation, notified_works, deliveries, kept_decisions, ledger, decisions,
     relay_events) = await asyncio.gather(
        q("submissions", "SELECT id::text FROM works"),
        q("submissions", "SELECT event_id, payload->>'work_id' FROM outbox WHERE event_type = $1 AND exchange = $2",
          WORK, INTERNAL_EXCHANGE),
        q("evaluation", "SELECT work_id::text FROM works"),
        q("notifications", "SELECT work_id::text FROM works"),
        q("notifications", "SELECT event_id, recipient, channel FROM deliveries WHERE event_type = ANY($1::text[])",
          [WORK, RELAYED]),
        q("notifications", "SELECT decision_id::text FROM decisions"),
        q("registry", "SELECT CASE WHEN exchange = $1 THEN event_type ELSE 'public ' || event_type END, "
                      "payload->>'work_id', payload->>'decision_id', payload->>'district' "
                      "FROM ledger WHERE event_type = ANY($2::text[])", INTERNAL_EXCHANGE, [WORK, ISSUED, RELAYED]),
        q("registry", "SELECT id::text FROM decisions"),
        q("registry", "SELECT event_id, payload->>'decision_id', payload->>'district' FROM outbox "
                      "WHERE event_type = $1 AND exchange = $2", RELAYED, INTERNAL_EXCHANGE))
    work_of = {row[0]: row[1] for row in work_events}
    relay_of = {row[0]: _relay_key(row[1], row[2]) for row in relay_events}
    delivered = {source: times_applied((of[row[0]], (row[1], row[2])) for row in deliveries if row[0] in of)
                 for source, of in (("works", work_of), ("relays", relay_of))}
    return {
        "works": {
            "submissions": Counter(row[0] for row in works),
            "submissions outbox": Counter(row[1] for row in work_events),
            "evaluation works": Counter(row[0] for row in evaluation),
            "notifications works": Counter(row[0] for row in notified_works),
            "notifications deliveries": delivered["works"],
            "registry ledger": Counter(row[1] for row in ledger if row[0] == WORK),
            "registry ledger, public": Counter(row[1] for row in ledger if row[0] == f"public {WORK}")},
        "decisions": {
            "registry": Counter(row[0] for row in decisions),
            "notifications decisions": Counter(row[0] for row in kept_decisions),
            "registry ledger": Counter(row[2] for row in ledger if row[0] == ISSUED)},
        "relays": {
            "registry outbox": Counter(relay_of.values()),
            "notifications deliveries": delivered["relays"],
            "registry ledger": Counter(_relay_key(row[2], row[3]) for row in ledger if row[0] == RELAYED)},
    }


def relay_entities(decision_ids: set[str], districts: tuple[int, ...]) -> set[str]:
    """The (decision, district) keys an accepted relay of each decision should have produced."""
    return {_relay_key(decision_id, district) for decision_id in decision_ids for district in districts}


def dead_lettered(broker: LocalNode | Cluster, amqp_vhost: str) -> dict[str, int]:
    """Messages in each of the vhost's dead-letter queues."""
    return dead_letters(_queues(broker, amqp_vhost))


def backlog(broker: LocalNode | Cluster, amqp_vhost: str, queue: str) -> int:
    """Messages in one of the vhost's queues (ready and unacknowledged), -1 when not listed."""
    return queue_messages(_queues(broker, amqp_vhost)).get(queue, -1)


def _queues(broker: LocalNode | Cluster, amqp_vhost: str) -> str:
    return broker.rabbitmqctl("-q", "list_queues", "-p", amqp_vhost, "name", "messages", check=False).stdout


def unsent(system: System) -> dict[str, int]:
    """Outbox rows each service has not published yet."""
    return {service: asyncio.run(system.fetchval(service, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"))
            for service in system.processes}
