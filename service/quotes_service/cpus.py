"""How many CPUs this process may use: the default number of engine workers (`quotes serve`, `quotes batch`).

os.cpu_count() counts the machine's cores; a container or a taskset gets fewer. This takes the CPUs of the
process's affinity mask, capped by the cgroup's CPU quota when there is one (cgroup v2 cpu.max, or v1
cpu.cfs_quota_us / cpu.cfs_period_us, in this cgroup or any above it), rounded up: 1.5 CPUs -> 2.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
SELF_CGROUP = Path("/proc/self/cgroup")


def usable_cpus(cgroup_root: Path = CGROUP_ROOT, self_cgroup: Path = SELF_CGROUP) -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform (macOS)
        cpus = os.cpu_count() or 1
    quota = cgroup_cpu_quota(cgroup_root, self_cgroup)
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def cgroup_cpu_quota(cgroup_root: Path = CGROUP_ROOT, self_cgroup: Path = SELF_CGROUP) -> float | None:
    """The CPU quota, in CPUs, of this process's cgroup and those above it (the smallest), or None when
    there is none or it cannot be read."""
    quotas = [q for d in _cgroup_dirs(cgroup_root, self_cgroup) if (q := _quota_in(d)) is not None]
    return min(quotas) if quotas else None


def _cgroup_dirs(root: Path, self_cgroup: Path) -> list[Path]:
    """The cgroup folders that can hold this process's CPU limit, from its own up to the root."""
    try:
        lines = self_cgroup.read_text().splitlines()
    except OSError:
        return [root]
    dirs = []
    for line in lines:
        _, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        relative = Path(path.strip().lstrip("/"))
        if controllers == "":  # v2: one unified hierarchy
            bases = [root]
        elif "cpu" in controllers.split(","):  # v1: the cpu controller's own hierarchy
            bases = [root / controllers, root / "cpu"]
        else:
            continue
        for base in bases:
            dirs += [base / p for p in (relative, *relative.parents)]
    return list(dict.fromkeys(dirs)) or [root]


def _quota_in(directory: Path) -> float | None:
    try:
        quota, period = (directory / "cpu.max").read_text().split()[:2]  # v2: "150000 100000" or "max 100000"
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:  # v1: a quota of -1 is no limit
        quota_us = int((directory / "cpu.cfs_quota_us").read_text())
        period_us = int((directory / "cpu.cfs_period_us").read_text())
        return quota_us / period_us if quota_us > 0 and period_us > 0 else None
    except (OSError, ValueError):
        return None
