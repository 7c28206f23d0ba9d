"""Where cleaner plugs into other tools: Hugging Face datasets, Ray Data, datatrove.

Each builds one `Cleaner` per worker process from plain options (rules compiled and the model
loaded once there) and changes only the text field. None reads a configuration file: a worker
cleans exactly as its caller asked.
"""

from __future__ import annotations

import json
from typing import Any

from cleaner.chain import Cleaner

_CLEANERS: dict[str, Cleaner] = {}


def cached_cleaner(options: dict[str, Any]) -> Cleaner:
    """One Cleaner per distinct options in this process, built at first use."""
    key = json.dumps(options, sort_keys=True, default=str)
    cleaner = _CLEANERS.get(key)
    if cleaner is None:
        cleaner = _CLEANERS[key] = Cleaner(**options)
    return cleaner
