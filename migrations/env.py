"""Alembic environment: runs migrations against the URL set by core.db.alembic_config or DATABASE_URL."""

from alembic import context

from core.config import get_settings
from core.db import lock_for_migrations, make_engine
from core.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            lock_for_migrations(connection)  # before Alembic reads the current revision
            context.run_migrations()
    engine.dispose()


run_migrations_online()
