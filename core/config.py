"""Settings from environment variables (and st.secrets, mirrored into the environment by app.py).

Every knob has a default that runs offline: SQLite, local files, the local analysis engine, demo payments.
"""

from __future__ import annotations

import math
import os
import re
import secrets
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The AUTH_COOKIE_KEY values published in the repository's *.example files (a test keeps this list in step
# with them): the image ships without those files, so production cannot read them at start-up.
EXAMPLE_COOKIE_KEYS = frozenset(
    {
        "change-me-to-48-random-characters-------------",
        "a-random-secret-of-at-least-32-characters",
        "insecure-development-cookie-key-change-me",  # the development default before keys were generated
    }
)
COOKIE_KEY_MIN_BYTES = 32
COOKIE_KEY_MIN_BITS = 128  # estimated from the key's own character frequencies
COOKIE_KEY_FILE = "auth_cookie_key"
PRODUCTION_MIN_BCRYPT_ROUNDS = 12


class CreditPack(BaseModel):
    credits: int = Field(gt=0)
    price: int = Field(gt=0, description="Price in whole currency units (rupees).")


class TavusPersona(BaseModel):
    persona_id: str
    replica_id: str | None = None


DEFAULT_PACKS = [
    CreditPack(credits=10, price=100),
    CreditPack(credits=25, price=225),
    CreditPack(credits=50, price=400),
    CreditPack(credits=100, price=750),
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    app_env: Literal["development", "production", "test"] = "development"
    log_level: str = "INFO"
    port: int = 8501  # PORT: where the server listens (run.py and Streamlit's server.port agree on it)
    public_base_url: str = ""  # PUBLIC_BASE_URL; unset, http://localhost:<PORT>

    # Database
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'app.db'}"
    seed_demo: bool = True

    # Files
    data_dir: Path = PROJECT_ROOT / "data"
    storage_backend: Literal["local", "s3"] = "local"
    upload_dir: Path = PROJECT_ROOT / "data" / "uploads"
    s3_endpoint_url: str | None = None
    s3_bucket: str = "interviewprep"
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_create_bucket: bool = True
    presigned_url_seconds: int = 900
    max_upload_mb: float = 5.0
    max_pdf_pages: int = 20
    extraction_timeout_seconds: float = 5.0
    # Parser workers (core/engine/worker_pool.py): parsing is CPU-bound, so two per core keep every core busy
    # while one worker is being replaced after a timeout or stuck on a hostile file for its 5 s, and bound
    # memory at size x worker_memory_mb (4 x 320 MB on 2 cores). A request waits at most worker_queue_seconds
    # (two parsing budgets) for a free worker, with at most worker_queue_max waiting, then gets SERVER_BUSY.
    worker_pool_size: int = Field(default_factory=lambda: 2 * len(os.sched_getaffinity(0)), ge=1)
    worker_memory_mb: int = Field(default=320, ge=128)
    worker_queue_seconds: float = Field(default=10.0, ge=0)
    worker_queue_max: int = Field(default=32, ge=0)

    # Language models
    ai_provider: Literal["local", "openai", "gemini", "mistral", "ollama"] = "local"
    ai_model: str | None = None
    ai_api_key: str | None = None
    ai_base_url: str | None = None
    # One wall-clock deadline per model call, across its retries, and a cap on its answer (core/deadline.py);
    # all the model calls of one CV analysis share ai_analysis_seconds, so an analysis ends within ~31 s even
    # against a provider that drips or floods (the engine's own wording is used for what did not arrive).
    ai_timeout_seconds: float = 20.0
    ai_max_retries: int = 1
    ai_max_response_mb: float = 2.0
    ai_analysis_seconds: float = 30.0
    mistral_api_key: str | None = None
    mistral_base_url: str | None = None
    ocr_model: str = "mistral-ocr-latest"

    # Speech-to-text of recorded answers: offline pocketsphinx, or an OpenAI-compatible transcription endpoint
    # (OpenAI, or a self-hosted Whisper server at AI_BASE_URL) with AI_API_KEY; a failure falls back to offline.
    transcribe_provider: Literal["offline", "openai"] = "offline"
    transcribe_model: str = "whisper-1"
    transcribe_max_seconds: float = Field(default=240.0, gt=0)  # the longest recording accepted
    transcribe_timeout_seconds: float = Field(default=30.0, gt=0)  # offline time bound per 30-s piece
    transcribe_workers: int = Field(default=2, ge=1, le=8)  # offline pieces transcribed at once

    # Tavus video interviews
    tavus_api_key: str | None = None
    tavus_base_url: str = "https://tavusapi.com"
    tavus_replica_id: str | None = None
    tavus_persona_id: str | None = None
    tavus_personas: dict[str, TavusPersona] = Field(
        default_factory=dict, description="Role name (lower-case) -> persona/replica, JSON."
    )
    tavus_max_call_seconds: int = 1800
    tavus_timeout_seconds: float = 15.0
    # How long after a call ended the transcript may still come; then the interview is unscored and refunded.
    tavus_transcript_wait_seconds: float = Field(default=900.0, gt=0)

    # Payments
    payment_provider: Literal["demo", "razorpay"] = "demo"
    razorpay_key_id: str | None = None
    razorpay_key_secret: str | None = None
    razorpay_base_url: str | None = None
    razorpay_webhook_secret: str | None = None  # the secret set on the webhook in Razorpay's dashboard
    currency: str = "INR"
    credit_packs: list[CreditPack] = Field(default_factory=lambda: list(DEFAULT_PACKS))

    # Mail (password reset, e-mail verification): SMTP when SMTP_HOST is set, else files in data_dir/outbox
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "InterviewPrep <no-reply@interviewprep.invalid>"
    password_reset_minutes: int = Field(default=30, ge=5, le=24 * 60)

    # Credits
    price_cv_analysis: int = 1
    price_practice_interview: int = 2
    price_video_interview: int = 5
    welcome_credits: int = 10
    # Anki's default: at most this many never-reviewed cards enter a day's reviews, so 40 new cards from two
    # reports do not arrive at once.
    flashcards_new_per_day: int = Field(default=20, ge=0, le=1000)
    # A paid action's charge is pending while it runs (core/billing/ledger.py). One pending for longer than
    # any action takes (an analysis ends within ~35 s, a video start within ~40 s) was left by a dead process:
    # the sweep refunds it, at start-up and every charge_sweep_seconds. On SIGTERM the running actions get
    # shutdown_grace_seconds to finish (under docker stop's 10 s), then are refunded.
    charge_pending_seconds: float = Field(default=300.0, gt=0)
    charge_sweep_seconds: float = Field(default=60.0, gt=0)
    shutdown_grace_seconds: float = Field(default=8.0, ge=0)

    # HTTP API (/analyze-resume)
    api_rate_limit_per_minute: int = Field(default=30, ge=1)

    # Sign-in
    auth_cookie_name: str = "interviewprep_auth"
    auth_cookie_key: str | None = None  # unset in development: a random key generated once into data_dir
    auth_cookie_expiry_days: float = 7.0
    lockout_max_attempts: int = 5
    lockout_minutes: int = 15
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)

    @model_validator(mode="after")
    def _public_base_url_follows_port(self) -> Settings:
        """Invite and payment-return links must reach this server: with no PUBLIC_BASE_URL, use its own port."""
        if not self.public_base_url:
            self.public_base_url = f"http://localhost:{self.port}"
        return self

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres_driver(cls, url: str) -> str:
        """Accept the usual postgres:// forms and use psycopg 3 for them."""
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def upload_transport_mb(self) -> int:
        """What Streamlit accepts from a browser (server.maxUploadSize and the CV uploader's own cap), set by
        MAX_UPLOAD_MB: twice it, so a file a little over the limit reaches the app and is refused with a sentence
        saying how big it is and what the limit is, rather than with the uploader's own marker."""
        return max(1, math.ceil(self.max_upload_mb * 2))

    def check_production_ready(self) -> None:
        """Refuse to run production with a guessable cookie key or a cheap password hash."""
        if not self.is_production:
            return
        problem = cookie_key_problem(self.auth_cookie_key)
        if problem:
            raise RuntimeError(
                f"APP_ENV=production refuses AUTH_COOKIE_KEY: {problem}. Set it to a random secret, e.g. "
                'python3 -c "import secrets; print(secrets.token_urlsafe(48))".'
            )
        if self.bcrypt_rounds < PRODUCTION_MIN_BCRYPT_ROUNDS:
            raise RuntimeError(
                f"APP_ENV=production needs BCRYPT_ROUNDS of at least {PRODUCTION_MIN_BCRYPT_ROUNDS} "
                f"(it is {self.bcrypt_rounds})."
            )

    def cookie_key(self) -> str:
        """The key that signs remember-me cookies: AUTH_COOKIE_KEY, or outside production the generated one."""
        if self.auth_cookie_key:
            return self.auth_cookie_key
        if self.is_production:
            raise RuntimeError("APP_ENV=production needs AUTH_COOKIE_KEY.")
        return development_cookie_key(self.data_dir / COOKIE_KEY_FILE)


def _estimated_bits(key: str) -> float:
    """Entropy of the key judged by its own character frequencies, over its shortest repeating unit:
    a short alphabet or a repeated pattern ("abcabc…") scores low."""
    period = next((p for p in range(1, len(key) // 2 + 1) if key == (key[:p] * (len(key) // p + 1))[: len(key)]),
                  len(key))  # fmt: skip
    unit = key[:period]
    return -sum(n * math.log2(n / len(unit)) for n in Counter(unit).values())


def example_cookie_keys() -> frozenset[str]:
    """The published keys, plus any AUTH_COOKIE_KEY in an *.example file present in this checkout."""
    pattern = re.compile(r"""^\s*AUTH_COOKIE_KEY\s*[=:]\s*["']?([^"'\s#]+)""", re.MULTILINE | re.IGNORECASE)
    found = {match for path in (PROJECT_ROOT.glob("*.example"), (PROJECT_ROOT / "deploy").glob("*.example"),
                                (PROJECT_ROOT / ".streamlit").glob("*.example"))
             for file in path for match in pattern.findall(file.read_text(errors="replace"))}  # fmt: skip
    return EXAMPLE_COOKIE_KEYS | found


def cookie_key_problem(key: str | None) -> str | None:
    """Why a production cookie key is unacceptable, or None when it is fine."""
    if not key:
        return "it is not set"
    if key in example_cookie_keys():
        return "it is the example value published in the repository"
    if len(key.encode()) < COOKIE_KEY_MIN_BYTES:
        return f"it is shorter than {COOKIE_KEY_MIN_BYTES} bytes"
    if _estimated_bits(key) < COOKIE_KEY_MIN_BITS:
        return "it is not random enough (repeated or too few different characters)"
    return None


@lru_cache(maxsize=8)
def development_cookie_key(path: Path) -> str:
    """Read the generated key, creating it once (mode 0600) if missing; concurrent first starts agree on one."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # atomic: fails if another process created the key first
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
