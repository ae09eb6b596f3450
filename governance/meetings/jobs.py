"""What the server does on its own for every tenant (backend.scheduling): consultations opened
and closed on time (`solidaire votes advance` does the same from cron)."""

from governance.meetings.consultations import advance

JOBS = [advance]
