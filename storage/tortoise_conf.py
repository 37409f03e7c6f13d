"""Config object for tortoise's own CLI (``python -m tortoise -c storage.tortoise_conf.TORTOISE``),
used by developers to generate migrations after changing models."""

import os

from storage.db import tortoise_config

TORTOISE = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://data/dev.sqlite3"))
