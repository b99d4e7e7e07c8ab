"""Pipes Arrow batches through one `launcher score` process: the part shared by the Spark and Ray integrations.

The launcher is an ordinary executable: rows go to its standard input as CSV (written by Arrow, so every text value
is quoted and numbers keep their shortest round-trip form), scored rows come back on its standard output in input
order, and rejected rows go to a task-local rejects file as `line,reason`. Nothing here is cluster code: the engine
schedules, retries and collects; this module only feeds one process and checks its accounting (rows read = scored
+ rejected, else the task fails and the engine retries it).
"""

from .bundle import BundleShipment, verify_once
from .process import ScoringProcess, ScoringError

__all__ = ["BundleShipment", "verify_once", "ScoringProcess", "ScoringError"]
