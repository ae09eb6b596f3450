"""The floor for a ballot over HTTP: a bare ASGI app on asyncpg doing the work of
`POST /api/t/{slug}/votes/{id}/ballot` and nothing else (bench/votes_burst.py runs it under uvicorn,
one worker, as the service, and divides the service's figures by its figures).

Per ballot: the tenant by its slug; one transaction scoped to it (`set_config('app.tenant_id')`,
row-level security as solidaire_app); the bearer token's user; the vote's status (held FOR SHARE)
with the voter's member entry and eligibility in one query; the `vote_cast` row; the sealed
envelope (backend.sealing, as the service); the receipt as JSON. DATABASE_URL and SECRET_KEY from
the environment.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402

from backend import sealing  # noqa: E402

pool: asyncpg.Pool | None = None


async def start() -> None:
    global pool
    sealing.configure(os.environ["SECRET_KEY"])
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=20)


def receipt_hash(vote_id: uuid.UUID, code: str) -> str:  # (governance.meetings.rules.receipt_hash)
    return hashlib.sha256(f"solidaire-receipt|{vote_id}|{code}".encode()).hexdigest()


async def ballot(slug: str, vote_id: uuid.UUID, token: str, choice: str) -> tuple[int, dict]:
    async with pool.acquire() as connection:
        tenant_id = await connection.fetchval("SELECT id FROM tenant WHERE slug = $1", slug)
        if tenant_id is None:
            return 404, {"title": "no such organisation"}
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            user_id = await connection.fetchval(
                "SELECT u.id FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.tenant_id = $1 AND t.token_hash = $2 "
                "AND t.revoked_at IS NULL AND u.is_active", tenant_id, hashlib.sha256(token.encode()).hexdigest())
            if user_id is None:
                return 401, {"title": "unknown token"}
            row = await connection.fetchrow(
                "SELECT v.status, m.id AS member_id, EXISTS (SELECT 1 FROM vote_eligibility e WHERE e.tenant_id = v.tenant_id "
                "AND e.vote_id = v.id AND e.member_id = m.id) AS eligible FROM vote v LEFT JOIN member m ON m.tenant_id = v.tenant_id "
                "AND m.user_id = $3 WHERE v.tenant_id = $1 AND v.id = $2 FOR SHARE OF v", tenant_id, vote_id, user_id)
            if row is None or row["status"] != "open" or not row["eligible"]:
                return 409, {"title": "not open or not eligible"}
            try:
                await connection.execute("INSERT INTO vote_cast (tenant_id, id, vote_id, member_id) VALUES ($1, $2, $3, $4)", tenant_id, uuid.uuid4(), vote_id, row["member_id"])
            except asyncpg.UniqueViolationError:
                return 409, {"title": "already voted"}
            text = base64.b32encode(secrets.token_bytes(10)).decode()
            code = "-".join(text[i:i + 4] for i in range(0, 16, 4))
            receipt = receipt_hash(vote_id, code)
            envelope = sealing.seal(f"ballot:{vote_id}", json.dumps([choice, receipt]).encode().ljust(512))
            await connection.execute("INSERT INTO ballot_envelope (tenant_id, id, vote_id, envelope) VALUES ($1, $2, $3, $4)", tenant_id, uuid.uuid4(), vote_id, envelope)
    return 201, {"vote_id": str(vote_id), "receipt_code": code, "receipt_hash": receipt}


async def app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    parts = scope["path"].strip("/").split("/")  # api t {slug} votes {id} ballot
    if scope["path"] == "/healthz":
        status, answer = 200, {"status": "ok"}
    elif len(parts) == 6 and parts[:2] == ["api", "t"] and parts[3] == "votes" and parts[5] == "ballot" and scope["method"] == "POST":
        authorization = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        status, answer = await ballot(parts[2], uuid.UUID(parts[4]), authorization[7:], json.loads(body)["choice"])
    else:
        status, answer = 404, {"title": "not found"}
    data = json.dumps(answer).encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})
