"""Profile the member list API (or page) in-process, one request at a time.

Needs the bench database left by `bench/member_list.py --keep`. Builds the real application with
create_app (as solidaire_app, RLS on), sends requests through httpx's ASGI transport (no socket,
no uvicorn) and profiles them with pyinstrument when it is importable, cProfile otherwise.
It also times each stage once without the profiler: the same request, the service call alone
(MemberRegister.find in a tenant transaction) and the SQL alone (asyncpg).

    /tmp/venv/bin/python bench/profile_member_list.py [--target api|page] [--requests 300]
        [--query 'category=user&status=active&page=3'] [--html profile.html]

pyinstrument is not a project dependency: `pip install --target /tmp/benchtools pyinstrument`
and run with PYTHONPATH=/tmp/benchtools.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import member_list as bench  # noqa: E402  (also puts the repository root on sys.path)

from backend import db  # noqa: E402
from backend.context import Context
from backend.settings import Settings  # noqa: E402
from solidaire.app import create_app  # noqa: E402


def stats(label: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    print(f"{label:52} median {statistics.median(ordered) * 1000:6.2f} ms   p90 {ordered[int(len(ordered) * 0.9)] * 1000:6.2f} ms   (n={len(ordered)})")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", choices=["api", "page"], default="api")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--query", default="category=user&status=active&page=3")
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML report here")
    args = parser.parse_args()
    params = dict(parse_qsl(args.query))

    creds = await bench.fresh_credentials()
    var_dir = Path(tempfile.mkdtemp(prefix="solidaire-profile-"))
    settings = Settings(
        var_dir=var_dir, database_url=bench.APP_URL, migration_database_url=bench.OWNER_URL, app_role=bench.APP_ROLE,
        secret_key=secrets.token_urlsafe(32), cookie_secure=False,
    )
    engine = db.make_engine(bench.APP_URL)
    app = create_app(settings, engine)
    await db.start(engine)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Litestar's logging config turns INFO on
    if args.target == "api":
        path, headers = f"/api/t/{creds.slug}/members", {"authorization": f"Bearer {creds.token}"}
    else:
        path, headers = f"/t/{creds.slug}/members", {"cookie": f"solidaire_session={creds.session}"}
    pool = await asyncpg.create_pool(bench.APP_URL, min_size=1, max_size=1)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            async def one() -> None:
                response = await client.get(path, params=params, headers=headers)
                assert response.status_code == 200, response.text[:300]

            for _ in range(30):  # warm caches, prepared statements, template compilation
                await one()

            # Unprofiled timings of the layers, one request at a time.
            timings = []
            for _ in range(args.requests):
                started = time.perf_counter()
                await one()
                timings.append(time.perf_counter() - started)
            stats(f"{args.target} request through the ASGI app", timings)

            from governance.members.services import MemberRegister
            from tenants.services import tenant_by_slug

            tenant = await tenant_by_slug(creds.slug)
            filters = {k: v for k, v in params.items() if k != "page"}
            page = int(params.get("page", 1))
            timings = []
            for _ in range(args.requests):
                started = time.perf_counter()
                async with db.tenant_transaction(engine, tenant.id, write=False):
                    await MemberRegister(Context(tenant)).find(**filters, page=page, per_page=50)
                timings.append(time.perf_counter() - started)
            stats("MemberRegister.find in a tenant transaction (Piccolo)", timings)

            timings = []
            operation = bench.direct_operation(pool, creds.tenant_id)
            for _ in range(args.requests):
                started = time.perf_counter()
                await operation({**filters, "page": page})
                timings.append(time.perf_counter() - started)
            stats("same SQL through asyncpg (transaction + set_config)", timings)

            try:
                from pyinstrument import Profiler
            except ImportError:
                Profiler = None
            if Profiler is not None:
                profiler = Profiler(interval=0.0002, async_mode="enabled")
                with profiler:
                    for _ in range(args.requests):
                        await one()
                print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
                if args.html:
                    args.html.write_text(profiler.output_html())
                    print(f"wrote {args.html}")
            else:
                import cProfile
                import pstats

                profile = cProfile.Profile()
                profile.enable()
                for _ in range(args.requests):
                    await one()
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    finally:
        await pool.close()
        await db.stop(engine)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
