"""The programme modules as pure data (one ``MODULE`` dict per file; format in the brief).

Files are discovered, not listed, so a module being written can be absent: it is skipped.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

logger = logging.getLogger(__name__)

# The order modules appear in the catalogue when present; others follow alphabetically.
PREFERRED_ORDER = [
    "financial_education",
    "labour_intermediation",
    "labour_inspection",
    "skills_certification",
]


def module_names() -> list[str]:
    """Names of the content modules present in this package, in catalogue order."""
    found = [info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")]
    return sorted(found, key=lambda name: (
        PREFERRED_ORDER.index(name) if name in PREFERRED_ORDER else len(PREFERRED_ORDER), name,
    ))


def modules() -> list[dict]:
    """The ``MODULE`` dicts of every content file that imports cleanly."""
    result = []
    for name in module_names():
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except Exception:  # a file being written must not break `make run`
            logger.exception("demo content %s could not be imported; skipped", name)
            continue
        data = getattr(module, "MODULE", None)
        if isinstance(data, dict) and data.get("key"):
            result.append(data)
    return result
