"""The default number of workers: the CPUs this process may use, capped by a cgroup's CPU quota."""
from __future__ import annotations

import os
from pathlib import Path

from quotes_service.cpus import cgroup_cpu_quota, usable_cpus


def cgroup(tmp_path: Path, self_cgroup: str, files: dict[str, str]) -> tuple[Path, Path]:
    root = tmp_path / "cgroup"
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    proc = tmp_path / "self_cgroup"
    proc.write_text(self_cgroup)
    return root, proc


def test_v2_quota_of_this_cgroup_rounds_up(tmp_path):
    root, proc = cgroup(tmp_path, "0::/jobs/a\n", {"jobs/a/cpu.max": "150000 100000\n", "cpu.max": "max 100000\n"})
    assert cgroup_cpu_quota(root, proc) == 1.5
    assert usable_cpus(root, proc) == min(2, len(os.sched_getaffinity(0)))


def test_v2_a_parent_limit_applies_and_max_is_none(tmp_path):
    root, proc = cgroup(tmp_path, "0::/jobs/a\n", {"jobs/a/cpu.max": "max 100000\n", "jobs/cpu.max": "100000 100000"})
    assert cgroup_cpu_quota(root, proc) == 1.0
    assert usable_cpus(root, proc) == 1
    root, proc = cgroup(tmp_path / "free", "0::/\n", {"cpu.max": "max 100000\n"})
    assert cgroup_cpu_quota(root, proc) is None
    assert usable_cpus(root, proc) == len(os.sched_getaffinity(0))


def test_v1_cfs_quota(tmp_path):
    root, proc = cgroup(tmp_path, "4:memory:/x\n3:cpu,cpuacct:/docker/abc\n",
                        {"cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "100000\n",
                         "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n"})
    assert cgroup_cpu_quota(root, proc) == 1.0 and usable_cpus(root, proc) == 1
    root, proc = cgroup(tmp_path / "unlimited", "3:cpu:/\n", {"cpu/cpu.cfs_quota_us": "-1\n",
                                                               "cpu/cpu.cfs_period_us": "100000\n"})
    assert cgroup_cpu_quota(root, proc) is None


def test_no_cgroup_files_means_the_affinity_mask(tmp_path):
    assert cgroup_cpu_quota(tmp_path / "none", tmp_path / "missing") is None
    assert usable_cpus(tmp_path / "none", tmp_path / "missing") == len(os.sched_getaffinity(0))
