# tourdesk: slim runtime image. Migrations are a separate step:
#   docker run --rm --env-file .env IMAGE tourdesk migrate
#   docker run -d  --env-file .env -p 8080:8080 IMAGE
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TOURDESK_DATA_DIR=/var/lib/tourdesk \
    DATABASE_URL=sqlite:///var/lib/tourdesk/tourdesk.sqlite3

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bots ./bots
COPY core ./core
COPY handlers ./handlers
COPY storage ./storage
COPY locales ./locales
# Editable install keeps locales/ next to the code, where the translator looks for it.
RUN pip install -e . \
    && useradd --system --uid 10001 --home-dir /var/lib/tourdesk --create-home tourdesk

USER tourdesk
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)" || exit 1
CMD ["tourdesk", "run"]
