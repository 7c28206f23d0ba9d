"""Where cleaner plugs into other tools: Hugging Face datasets, Ray Data, datatrove.

Each builds one `Cleaner` per worker process from plain options (rules compiled and the model
loaded once there) and changes only the text field. None reads a configuration file: a worker
cleans exactly as its caller asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cleaner.chain import Cleaner
from cleaner.chain import cached_cleaner as _cached
from cleaner.options import make_options

if TYPE_CHECKING:
    from cleaner.options import OptionValues


def cached_cleaner(options: OptionValues) -> Cleaner:
    """One Cleaner per distinct options in this process, built at first use."""
    return _cached(make_options(**options))
