# Solidaire's service image: `docker compose up` (see docker-compose.yml) runs it with PostgreSQL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SOLIDAIRE_VAR=/var/lib/solidaire \
    HOST=0.0.0.0 \
    PORT=8000

# WeasyPrint's system libraries (Pango, HarfBuzz's subsetter: without it fonts are subset 6x
# slower) and a font for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# The dependencies first, in a layer of their own: it is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the project itself (templates, static files, catalogues and migrations are package data).
COPY . .
RUN pip install --no-deps . \
    && rm -rf /src/build /src/*.egg-info

# The service runs as a user that owns nothing but its files folder (documents, receipts).
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/solidaire --no-create-home solidaire \
    && mkdir -p /var/lib/solidaire \
    && chown solidaire:solidaire /var/lib/solidaire
USER solidaire
WORKDIR /var/lib/solidaire
VOLUME ["/var/lib/solidaire"]

EXPOSE 8000
# Migrates as MIGRATION_DATABASE_URL (the tables' owner), then serves as DATABASE_URL.
CMD ["solidaire", "serve", "--no-demo"]
