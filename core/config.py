"""Settings from environment variables (and st.secrets, mirrored into the environment by app.py).

Every knob has a default that runs offline: SQLite, local files, the local analysis engine, demo payments.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COOKIE_KEY = "insecure-development-cookie-key-change-me"


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

    # Language models
    ai_provider: Literal["local", "openai", "gemini", "mistral", "ollama"] = "local"
    ai_model: str | None = None
    ai_api_key: str | None = None
    ai_base_url: str | None = None
    ai_timeout_seconds: float = 30.0
    ai_max_retries: int = 1
    mistral_api_key: str | None = None
    mistral_base_url: str | None = None
    ocr_model: str = "mistral-ocr-latest"

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

    # Payments
    payment_provider: Literal["demo", "razorpay"] = "demo"
    razorpay_key_id: str | None = None
    razorpay_key_secret: str | None = None
    razorpay_base_url: str | None = None
    razorpay_webhook_secret: str | None = None  # the secret set on the webhook in Razorpay's dashboard
    currency: str = "INR"
    credit_packs: list[CreditPack] = Field(default_factory=lambda: list(DEFAULT_PACKS))

    # Credits
    price_cv_analysis: int = 1
    price_practice_interview: int = 2
    price_video_interview: int = 5
    welcome_credits: int = 10

    # HTTP API (/analyze-resume)
    api_rate_limit_per_minute: int = Field(default=30, ge=1)

    # Sign-in
    auth_cookie_name: str = "interviewprep_auth"
    auth_cookie_key: str = DEFAULT_COOKIE_KEY
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
                return "postgresql+psycopg://" + url[len(prefix):]
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
        """Refuse to run a production deployment with the shipped cookie key."""
        if self.is_production and (self.auth_cookie_key == DEFAULT_COOKIE_KEY or len(self.auth_cookie_key) < 32):
            raise RuntimeError(
                "APP_ENV=production needs AUTH_COOKIE_KEY set to a random secret of at least 32 characters."
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
