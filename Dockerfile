# InterviewPrep app image: one server process (st.App: the Streamlit app and the HTTP API) per container. See docs/deploy.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app

COPY requirements.txt ./
RUN pip install -r requirements.txt

# Code stays owned by root (read-only to the app user); only data/ is writable.
COPY app.py server.py alembic.ini ./
COPY .streamlit/config.toml .streamlit/config.toml
COPY app_pages app_pages
COPY core core
COPY migrations migrations
COPY prompts prompts
RUN mkdir -p /app/data/uploads && chown -R app:app /app/data

USER app
ENV APP_ENV=production \
    DATA_DIR=/app/data \
    UPLOAD_DIR=/app/data/uploads \
    SEED_DEMO=0
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/ready', timeout=4)"]

# Migrating at start is a no-op when the database is already at head (compose runs a one-shot `migrate`
# service first, so replicas never race to apply the same migration).
CMD ["sh", "-c", "python -m core.cli migrate && exec python -m streamlit run server.py --server.port 8501 --server.address 0.0.0.0"]
