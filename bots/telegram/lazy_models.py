"""aiogram's ~450 pydantic models are built when first used, not all at import.

aiogram declares its models with ``defer_build=True`` but then, at the end of
``aiogram.types``, calls ``model_rebuild(_types_namespace=...)`` on every one of them, which
builds every validator and serializer at once: ~105 MB of RSS and seconds of start-up, most of
it for types a travel agency never receives (stickers, gifts, business accounts, ...).

This module lets that call only remember the namespace it was given; a model is then built
the first time it validates or serialises (pydantic's own deferred build), resolved against
that same namespace — so the result is the model aiogram would have built, only later.
Measured here: ``import aiogram`` 170 MB -> 61 MB; an Update with a message and a callback
query validated -> 65 MB; every aiogram model built -> 147 MB.
``tests/test_telegram_lazy_models.py`` builds every model this way, so an aiogram upgrade
that breaks it fails the suite.

Installed when ``bots.telegram`` is imported (before any aiogram import); if aiogram was
already imported, its models are simply already built and nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

_original = BaseModel.model_rebuild.__func__  # type: ignore[attr-defined]
_namespace: dict[str, Any] = {}


def _is_aiogram(cls: type) -> bool:
    return cls.__module__.startswith("aiogram.")


def _model_rebuild(
    cls: type[BaseModel],
    *,
    force: bool = False,
    raise_errors: bool = True,
    _parent_namespace_depth: int = 2,
    _types_namespace: Mapping[str, Any] | None = None,
) -> bool | None:
    if _is_aiogram(cls) and not force and not cls.__pydantic_complete__:
        if _types_namespace is not None:
            # aiogram.types' import-time loop: remember the names, build nothing yet.
            _namespace.update(_types_namespace)
            return None
        if _namespace:
            # First use (pydantic's mock validator asks for a rebuild): build against the
            # namespace aiogram meant, which holds names its modules import only for typing.
            _types_namespace = _namespace
    return _original(
        cls,
        force=force,
        raise_errors=raise_errors,
        _parent_namespace_depth=_parent_namespace_depth,
        _types_namespace=_types_namespace,
    )


def install() -> None:
    """Idempotent; takes effect for aiogram models not built yet."""
    if getattr(BaseModel.model_rebuild, "__func__", None) is not _model_rebuild:
        BaseModel.model_rebuild = classmethod(_model_rebuild)  # type: ignore[assignment,method-assign]
