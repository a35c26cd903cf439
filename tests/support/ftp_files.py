"""Files on a test FTP server's disk (the directory `tests.support.ftp_servers` serves): a tree
with awkward names, single files of a given age, names that are raw bytes."""

from __future__ import annotations

import os
import time
from pathlib import Path

HOUR = 3600
DAY = 86400

TREE = {
    "readme.txt": b"station readme\n",
    "2026/11/23/NOAA 19 pass.hrpt": b"\x00" * 1000,
    '2026/11/23/Снимок "Метеор-М".tif': b"tif" * 100,
    "2026/11/23/it's here.dat": b"x",
    # "х" is D1 85 in UTF-8: 0x85 must not end a line of the listing.
    "2026/11/23/Снимок_х1.tif": b"kh-1",
    "2026/11/23/Снимок_х2.tif": b"kh-22",
    "deep/a/b/c/d/e/leaf.bin": b"leaf",
}


def fill(root: Path, tree: dict[str, bytes] = TREE) -> None:
    """`tree` under `root`, with an empty folder and a hidden file being uploaded."""
    (root / "2026/11/empty folder").mkdir(parents=True, exist_ok=True)
    (root / ".upload.tmp").write_bytes(b"hidden: being uploaded")
    for name, data in tree.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for folder, _dirs, files in os.walk(root):  # vsftpd serves as nobody: world-readable
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(Path(folder) / file, 0o644)


def put(root: Path, name: str, data: bytes, *, age: float = 0) -> Path:
    """One file (world-readable, its folders too), last modified `age` seconds ago."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in [path.parent, *path.parent.parents]:
        if parent == root.parent:
            break
        parent.chmod(0o755)
    path.write_bytes(data)
    path.chmod(0o644)
    if age:
        stamp = time.time() - age
        os.utime(path, (stamp, stamp))
    return path


def put_raw(root: Path, raw_name: bytes, data: bytes) -> None:
    """A file whose name is these bytes on disk, whatever the file system encoding."""
    path = Path(os.fsdecode(os.fsencode(root) + b"/" + raw_name))
    path.write_bytes(data)
    path.chmod(0o644)
