"""aiogram's models are deferred at import and every one of them still builds on first use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
import bots.telegram  # installs the deferral before aiogram is imported
import aiogram.methods
import aiogram.types
from aiogram.types import Update
from pydantic import BaseModel

def models(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from models(sub)

ours = {m for m in models(BaseModel) if m.__module__.startswith("aiogram.")}
deferred = sum(1 for m in ours if not m.__pydantic_complete__)
update = Update.model_validate({
    "update_id": 7,
    "callback_query": {
        "id": "q", "chat_instance": "c", "data": "pay:1",
        "from": {"id": 5, "is_bot": False, "first_name": "Olena"},
        "message": {"message_id": 3, "date": 0, "chat": {"id": 5, "type": "private"},
                    "text": "t", "reply_markup": {"inline_keyboard": [[
                        {"text": "Pay", "callback_data": "pay:1"}]]}},
    },
})
failures = []
for m in sorted(ours, key=lambda m: m.__qualname__):
    try:
        m.model_rebuild()
    except Exception as exc:  # reported, not hidden: the test fails on any
        failures.append(f"{m.__module__}.{m.__qualname__}: {exc}")
print(json.dumps({
    "models": len(ours), "deferred": deferred, "failures": failures,
    "incomplete": sum(1 for m in ours if not m.__pydantic_complete__),
    "data": update.callback_query.data,
    "button": update.callback_query.message.reply_markup.inline_keyboard[0][0].text,
}))
"""


def test_models_are_deferred_at_import_and_all_build_on_use() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["models"] > 400
    assert got["deferred"] > 400, got  # every aiogram.types model (methods build eagerly)
    assert got["failures"] == []
    assert got["incomplete"] == 0
    assert (got["data"], got["button"]) == ("pay:1", "Pay")
