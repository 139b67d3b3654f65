"""Reading and writing the shipped reference sets (references/data/<name>.json).

Each file holds one level of theory: the H2 curves and atoms in native units
(hartree, Å as stated in its "units"), the provenance in "metadata", and a
SHA-256 of its numbers so that a hand edit is caught.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def checksum(record):
    payload = json.dumps({k: record[k] for k in ("units", "atoms", "curves")}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def save(name, record):
    record = dict(record, sha256=checksum(record))
    path = DATA_DIR / f"{name}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return path


@lru_cache(maxsize=None)
def load(name):
    path = DATA_DIR / f"{name}.json"
    record = json.loads(path.read_text())
    if record.get("sha256") != checksum(record):
        raise ValueError(f"{path}: the numbers do not match their SHA-256; regenerate with "
                         f"{record['metadata']['command']!r}")
    return record
