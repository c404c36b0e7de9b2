"""What the Excel and Word writers share: the optional libraries, fixed timestamps.

openpyxl and python-docx are the ``office`` extra, imported only by their writers. The
files' own timestamps (zip members, core properties) are the paper's generation time,
so the same inputs give the same bytes.
"""

from __future__ import annotations

import importlib
import io
import re
import time
import zipfile
from datetime import datetime
from typing import Any

from appraise.errors import MissingExtra
from appraise.paper.model import Paper

__all__ = ["fix_zip_times", "need", "stamp"]


def need(module: str, extra: str, what: str) -> Any:
    """Import ``module``, or raise :class:`~appraise.errors.MissingExtra` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"{what} needs {module.split('.')[0]}",
            hint=f"pip install 'appraise[{extra}]'",
        ) from None


def stamp(paper: Paper) -> datetime:
    """The paper's generation time, for the files' own timestamps."""
    if paper.provenance is not None:
        return datetime.strptime(paper.provenance.generated, "%Y-%m-%d %H:%M UTC")
    from appraise.paper.provenance import generation_time

    return datetime(*time.gmtime(generation_time())[:5])


def fix_zip_times(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip (xlsx, docx) with every member's time set to ``when`` and members
    in their original order, so identical content gives identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    fixed_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(<)",
                    lambda m: (
                        m.group(1) + when.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + m.group(3)
                    ),
                    content,
                )
            member = zipfile.ZipInfo(info.filename, date_time=fixed_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, content)
    return out.getvalue()
