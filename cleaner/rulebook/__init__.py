"""Rule packs: YAML files of rules, loaded, validated, compiled once and run per page."""

from cleaner.rulebook.loader import builtin_pack_dir, load_packs
from cleaner.rulebook.model import Pack, Rule

__all__ = ["Pack", "Rule", "builtin_pack_dir", "load_packs"]
