"""Settings read once from the environment, with defaults that run on one machine with no set-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from croniter import croniter

ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _cron(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip()
    if not croniter.is_valid(value):
        raise ValueError(f"{name} is not a cron expression (minute hour day month weekday [second]): {value!r}")
    return value


def _secret_key(var_dir: Path) -> str:
    """A stable secret for the embedded default: generated once, kept under var/.

    Processes starting together (`serve --workers 4`) must all end with the same key, or a ballot
    sealed by one could not be opened by another: each writes a candidate in a file of its own,
    then links it as the key; the link is atomic and fails where the key exists, so the first
    wins and every other reads a complete file, never a half-written one."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        candidate = var_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        candidate.write_text(secrets.token_urlsafe(48))
        candidate.chmod(0o600)
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass  # another process was first
        finally:
            candidate.unlink()
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    # What the service connects with. On PostgreSQL it must be a role that does not own the
    # tables, so that row-level security applies to it.
    database_url: str
    # What migrations run with (the tables' owner). Defaults to database_url (SQLite).
    migration_database_url: str
    app_role: str
    secret_key: str
    cookie_secure: bool
    host: str = "127.0.0.1"
    port: int = 8000
    # Sign-in attempts (pages and API tokens) per client address and minute, and per account tried
    # and minute: slows password guessing.
    sign_in_attempts_per_minute: int = 20
    # The proxies whose X-Forwarded-For names the client (uvicorn's forwarded_allow_ips, e.g.
    # "10.0.0.2" or "*"); empty: none, the client is the connection's peer.
    forwarded_allow_ips: str = ""
    max_upload_bytes: int = 5 * 1024 * 1024
    session_hours: int = 12
    # Where e-mail goes: smtp://[user:password@]host[:port] (STARTTLS when the server offers it) or
    # smtps://… (TLS from the start). Unset: messages stay in the outbox, listed in the admin pages.
    smtp_url: str | None = None
    mail_from: str = "Solidaire <no-reply@solidaire.invalid>"
    # Whether each server process also runs the job queue (backend.jobqueue); off where
    # `solidaire worker` processes run it instead. On SQLite the server always runs it.
    queue_in_server: bool = True
    # Whether this process's queue also queues the periodic work (the mail retry, the consultations'
    # opening and closing, the daily reminders) when due; each due run is done once whichever
    # process takes it. Off: `solidaire … ` commands do it by hand.
    periodic_jobs: bool = True
    # How long a job whose worker stopped answering (killed, its host gone) waits before another
    # worker takes it and does it again: a running job's heartbeat is written twice as often.
    stalled_job_seconds: float = 30.0
    # Connections each process keeps to PostgreSQL at most (its queue worker opens one more).
    database_pool_size: int = 20
    # When the e-mails whose delivery failed are tried again (cron, UTC; a sixth field counts seconds).
    mail_retry_every: str = "*/5 * * * *"
    # The address people reach the service at, for links in e-mails (never taken from a request's
    # Host header, which a client chooses). Unset: http://HOST:PORT.
    public_url: str = ""
    # How long a "choose your password" link sent by e-mail stays valid.
    password_link_hours: int = 2

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @classmethod
    def from_env(cls) -> Settings:
        var_dir = Path(os.environ.get("SOLIDAIRE_VAR", ROOT / "var"))
        database_url = os.environ.get("DATABASE_URL", f"sqlite:///{var_dir / 'solidaire.sqlite3'}")
        return cls(
            var_dir=var_dir,
            database_url=database_url,
            migration_database_url=os.environ.get("MIGRATION_DATABASE_URL", database_url),
            app_role=os.environ.get("DATABASE_APP_ROLE", "solidaire_app"),
            secret_key=_secret_key(var_dir),
            cookie_secure=_bool("COOKIE_SECURE", True),
            host=os.environ.get("HOST", "127.0.0.1"),
            port=int(os.environ.get("PORT", "8000")),
            sign_in_attempts_per_minute=int(os.environ.get("SIGN_IN_ATTEMPTS_PER_MINUTE", "20")),
            forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "").strip(),
            smtp_url=os.environ.get("SMTP_URL") or None,
            mail_from=os.environ.get("MAIL_FROM", cls.mail_from),
            public_url=os.environ.get("PUBLIC_URL", ""),
            queue_in_server=_bool("QUEUE_IN_SERVER", True),
            periodic_jobs=_bool("PERIODIC_JOBS", True),
            stalled_job_seconds=float(os.environ.get("STALLED_JOB_SECONDS", "30")),
            database_pool_size=int(os.environ.get("DATABASE_POOL_SIZE", "20")),
            mail_retry_every=_cron("MAIL_RETRY_EVERY", "*/5 * * * *"),
        )
