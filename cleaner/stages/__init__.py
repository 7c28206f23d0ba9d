"""The stages of the chain. Each marks lines of a page; none knows about files or the CLI."""

from cleaner.stages.base import Stage
from cleaner.stages.dedup import DedupStage
from cleaner.stages.repair import RepairStage
from cleaner.stages.rules import RulesStage

__all__ = ["DedupStage", "RepairStage", "RulesStage", "Stage"]
