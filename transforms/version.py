"""The extractor's version: package version plus a digest of the rules and transforms.

Any edit to a rule file or a transform changes it, so a warehouse can tell which documents
were extracted by an older extractor.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE_VERSION = "0.1.0"


@cache
def extractor_version() -> str:
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{PACKAGE_VERSION}+{digest.hexdigest()[:10]}"
