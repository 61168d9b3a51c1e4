"""The audit chain's daily digest, kept outside the database (AUDIT_DIGEST_DIR).

The chain head is sealed, but whoever can write the database can copy back an older sealed head
after deleting the records that came later, or wipe both tables. The periodic job writes, once a
day, a small sealed file naming the last record, its hash, the anchor and the count;
`verify_audit_log` then requires that record to be still in the chain, and the anchor to have
moved only by an audited pruning. The files are kept (a few hundred bytes a day); copy them off
the server with the backups.
"""

import datetime
import hmac
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .audit_chain import HEAD_ID, Break, keyed_hash

PREFIX = "audit-digest-"
FIELDS = ("written_at", "count", "last_id", "last_hash", "anchor")


def directory():
    """Where the digests are kept; None when AUDIT_DIGEST_DIR is set empty (no digests)."""
    value = getattr(settings, "AUDIT_DIGEST_DIR", None)
    return Path(value) if value else None


def _seal(values):
    return keyed_hash(["audit-digest", *(values[name] for name in FIELDS)])


def write(*, now=None):
    """Write today's digest of the chain (replacing an earlier one of the same day); its path."""
    from .models import AuditChainHead, AuditEvent

    folder = directory()
    if folder is None:
        return None
    now = now or timezone.now()
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    last = AuditEvent.objects.order_by("-id").values("id", "row_hash").first()
    values = {"written_at": now.astimezone(datetime.UTC).isoformat(timespec="seconds"),
              "count": head.count if head is not None else 0,
              "last_id": last["id"] if last else None, "last_hash": last["row_hash"] if last else None,
              "anchor": head.anchor if head is not None else None}
    values["seal"] = _seal(values)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{PREFIX}{now.astimezone(datetime.UTC):%Y-%m-%d}.json"
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(values, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, path)  # a reader never sees half a file
    return path


def latest():
    """(path, values) of the newest digest, or (None, None) when there is none yet."""
    folder = directory()
    paths = sorted(folder.glob(f"{PREFIX}*.json")) if folder is not None and folder.is_dir() else []
    if not paths:
        return None, None
    return paths[-1], json.loads(paths[-1].read_text(encoding="utf-8"))


def check(head):
    """The break the newest digest shows in the chain as it is now (in the caller's transaction)."""
    from .models import AuditEvent

    try:
        path, values = latest()
    except (OSError, ValueError):
        return Break(None, "每日摘要文件无法读取：摘要文件被改动或损坏。")
    if values is None:
        return None
    name = path.name
    try:
        intact = hmac.compare_digest(_seal(values), str(values.get("seal", "")))
    except KeyError:
        intact = False
    if not intact:
        return Break(None, f"每日摘要 {name} 与其密钥哈希不符：摘要文件被改动。")
    last_id = values["last_id"]
    if last_id is not None and not AuditEvent.objects.filter(pk=last_id, row_hash=values["last_hash"]).exists():
        return Break(None, f"每日摘要 {name} 记录的最后一条审计记录（编号 {last_id}）已不存在：此后或全部的审计记录"
                           "被删除或清空，链头被改写或重建。")
    pruned_since = AuditEvent.objects.filter(action="audit.prune", id__gt=last_id or 0).exists()
    if head is not None and values["anchor"] not in (None, head.anchor) and not pruned_since:
        return Break(None, f"链起点自每日摘要 {name} 以来改变，但其间没有清理审计记录：最早的记录被删除。")
    return None
