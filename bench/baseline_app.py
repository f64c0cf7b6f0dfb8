"""The intake benchmark's baseline: the least a durable intake endpoint must do, with nothing else.

POST /works validates the body with pydantic, inserts the same work row with asyncpg, publishes it with
aio-pika (persistent, mandatory, publisher confirm awaited) and answers 201. A consumer in the same process
(prefetch 100) inserts each message into a projection table with projected_at, as evaluation does.
No authentication, no call or neighbourhood checks, no outbox, no duplicate check, no status history.

Usage: python bench/baseline_app.py --port 8010 --database-url postgresql://... --amqp-url amqp://...
"""

import argparse
import json
import secrets
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import aio_pika
import asyncpg
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

EXCHANGE, QUEUE = "bench.baseline", "bench.baseline.projection"
SCHEMA = """
CREATE TABLE IF NOT EXISTS works (
    id uuid PRIMARY KEY, tracking_code text NOT NULL UNIQUE, edition text, district integer NOT NULL,
    neighbourhood text NOT NULL, category text NOT NULL, title text NOT NULL, summary text NOT NULL,
    submitter_name text NOT NULL, submitter_national_id text NOT NULL, submitter_mobile text NOT NULL,
    beneficiaries integer NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS projection (
    work_id uuid PRIMARY KEY, district integer NOT NULL, title text NOT NULL,
    projected_at timestamptz NOT NULL DEFAULT now());
"""
INSERT = ("INSERT INTO works (id, tracking_code, edition, district, neighbourhood, category, title, summary, "
          "submitter_name, submitter_national_id, submitter_mobile, beneficiaries, status, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13)")


class Submitter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200)
    national_id: str = Field(max_length=20)
    mobile: str = Field(max_length=20)


class WorkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    edition: str | None = None
    district: int = Field(ge=1, le=22)
    neighbourhood: str = Field(min_length=1, max_length=200)
    category: str = Field(max_length=40)
    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(min_length=10, max_length=5000)
    submitter: Submitter
    beneficiaries: int = Field(default=0, ge=0)


def create_app(database_url: str, amqp_url: str) -> FastAPI:
    """The baseline app: one pool, one publishing channel with confirms, one consumer."""
    state: dict = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        pool = await asyncpg.create_pool(database_url, min_size=10, max_size=10)
        async with pool.acquire() as connection:
            await connection.execute(SCHEMA)
        connection = await aio_pika.connect_robust(amqp_url)
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        consuming = await connection.channel()
        await consuming.set_qos(prefetch_count=100)
        queue = await consuming.declare_queue(QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
        await queue.bind(EXCHANGE, routing_key="#")

        async def project(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process(requeue=True):
                work = json.loads(message.body)
                await pool.execute("INSERT INTO projection (work_id, district, title) VALUES ($1, $2, $3) "
                                   "ON CONFLICT DO NOTHING", uuid.UUID(work["id"]), work["district"], work["title"])

        await queue.consume(project)
        state.update(pool=pool, exchange=exchange)
        yield
        await connection.close()
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/works", status_code=201)
    async def submit(body: WorkIn) -> dict:
        work_id, created_at = uuid.uuid4(), datetime.now(UTC)
        tracking_code = f"{secrets.randbelow(10**12):012d}"
        await state["pool"].execute(
            INSERT, work_id, tracking_code, body.edition, body.district, body.neighbourhood, body.category,
            body.title, body.summary, body.submitter.name, body.submitter.national_id, body.submitter.mobile,
            body.beneficiaries, created_at)
        payload = {"id": str(work_id), "district": body.district, "title": body.title, "category": body.category}
        await state["exchange"].publish(
            aio_pika.Message(json.dumps(payload, ensure_ascii=False).encode(), message_id=str(work_id),
                             content_type="application/json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=f"baseline.work.received.d{body.district:02d}", mandatory=True)
        return {"id": str(work_id), "tracking_code": tracking_code, "status": "received"}

    return app


def main() -> None:
    """Run the baseline under one uvicorn worker, as the services run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--amqp-url", required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(args.database_url, args.amqp_url), host="127.0.0.1", port=args.port,
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
