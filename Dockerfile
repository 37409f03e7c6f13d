# tourdesk image: the builder stage makes the wheel; the runtime stage installs it (not editable).
# The SQLite database (the default DATABASE_URL) lives in the /app/data volume; run migrations
# as a separate step on the same volume (README, "Docker"):
#   docker run --rm --env-file .env -v tourdesk-data:/app/data tourdesk tourdesk migrate
#   docker run -d --env-file .env -v tourdesk-data:/app/data -p 8080:8080 tourdesk
ARG PYTHON_IMAGE=python:3.12-slim

FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/build
WORKDIR /src
# The dependency list alone, so the runtime's dependency layer is rebuilt only when it changes.
COPY pyproject.toml README.md ./
RUN /opt/build/bin/python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/requirements.txt', 'w').write(chr(10).join(deps) + chr(10))"
COPY bots ./bots
COPY core ./core
COPY handlers ./handlers
COPY storage ./storage
COPY locales ./locales
RUN /opt/build/bin/pip wheel --no-deps --wheel-dir /wheels .

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/tourdesk/bin:$PATH \
    TOURDESK_DATA_DIR=/app/data \
    HTTP_PORT=8080
RUN python3 -m venv /opt/tourdesk \
    && useradd --system --uid 10001 --home-dir /app --no-create-home tourdesk
# Dependencies first, in their own layer: a code change does not reinstall them.
COPY --from=builder /requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt
# The project itself: the wheel (catalogues and memos inside), never an editable install.
COPY --from=builder /wheels/ /tmp/wheels/
RUN pip install --no-deps /tmp/wheels/tourdesk-*.whl \
    && pip check \
    && rm -rf /tmp/wheels /tmp/requirements.txt

# DATABASE_URL defaults to sqlite://data/tourdesk.sqlite3, relative to WORKDIR: /app/data.
WORKDIR /app
RUN mkdir -p /app/data && chown tourdesk /app/data
VOLUME ["/app/data"]
USER tourdesk
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${HTTP_PORT:-8080}/healthz', timeout=4)" || exit 1
CMD ["tourdesk", "run"]
