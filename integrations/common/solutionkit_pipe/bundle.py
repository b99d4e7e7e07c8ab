"""What the driver ships (a launcher binary and a bundle folder) and the once-per-machine check of the copies."""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import subprocess


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclasses.dataclass(frozen=True)
class BundleShipment:
    """The digests the driver saw, so an executor can tell its copies are the same files.

    The manifest lists the sha256 of every bundle file, so its own digest pins the whole bundle; the launcher
    checks those per-file digests again whenever it loads the bundle.
    """

    launcher_name: str
    launcher_sha256: str
    bundle_name: str
    manifest_sha256: str
    version: str

    @staticmethod
    def of(launcher: str, bundle: str) -> "BundleShipment":
        manifest = os.path.join(bundle, "manifest.json")
        if not os.path.isfile(manifest):
            raise FileNotFoundError(f"{bundle}: not a model bundle (no manifest.json)")
        if not os.access(launcher, os.X_OK):
            raise FileNotFoundError(f"{launcher}: not an executable launcher")
        version = subprocess.run([launcher, "--version"], check=True, capture_output=True, text=True).stdout.strip()
        return BundleShipment(os.path.basename(launcher), _sha256(launcher), os.path.basename(os.path.normpath(bundle)),
                              _sha256(manifest), version)


def verify_once(shipment: BundleShipment, launcher: str, bundle: str, header: list[str], marker_folder: str) -> None:
    """Checks the shipped copies once per machine (many tasks share one marker under a lock).

    Checks: the binary and the manifest are the driver's (by sha256), and the launcher loads the bundle (every file's
    checksum, format version, plugin) and accepts the input's header, by scoring a header-only input. Later tasks
    on the same machine find the marker and skip this; each scoring process still verifies the bundle as it loads.
    """
    marker = os.path.join(marker_folder, f".solutionkit-verified-{shipment.manifest_sha256[:16]}-{shipment.launcher_sha256[:16]}")
    lock_path = marker + ".lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(marker):
            return
        if _sha256(launcher) != shipment.launcher_sha256:
            raise RuntimeError(f"{launcher}: the shipped launcher differs from the driver's ({shipment.launcher_sha256})")
        manifest = os.path.join(bundle, "manifest.json")
        if _sha256(manifest) != shipment.manifest_sha256:
            raise RuntimeError(f"{manifest}: the shipped bundle differs from the driver's ({shipment.manifest_sha256})")
        os.chmod(launcher, os.stat(launcher).st_mode | 0o111)
        probe = subprocess.run([launcher, "score", "--model", bundle, "--input", "-", "--output", "-", "--quiet"],
                               input=(",".join(_csv_name(n) for n in header) + "\n").encode(),
                               capture_output=True)
        if probe.returncode != 0:
            raise RuntimeError(f"{bundle}: the launcher refused the bundle or the input columns: "
                               f"{probe.stderr.decode(errors='replace').strip()}")
        with open(marker + ".partial", "w") as handle:
            json.dump(dataclasses.asdict(shipment), handle)
        os.replace(marker + ".partial", marker)


def _csv_name(name: str) -> str:
    if any(c in name for c in ',"\n\r'):
        return '"' + name.replace('"', '""') + '"'
    return name
