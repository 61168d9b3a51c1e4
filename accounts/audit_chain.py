"""The audit log's hash chain: each record carries an HMAC of its content and of the record before.

Appends are serialised by locking the one chain-head row (`AuditChainHead`), so two workers never
chain onto the same predecessor. The head also remembers the last record's hash (a deleted or
truncated tail is noticed), the anchor, the hash the first kept record must point to (GENESIS,
or the hash of the last record `prune_audit_log` deleted), and the number of records; the three
are sealed with the key, so a head rewritten to hide deleted records no longer verifies. A head
copied back from an earlier day is caught by the daily digest kept outside the database
(accounts/audit_digest.py).

The key is AUDIT_CHAIN_KEY (SECRET_KEY when unset): it lives outside the database, so a person who
can write the tables cannot recompute the hashes of rows they changed.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

GENESIS = "0" * 64
HEAD_ID = 1
FIELDS = ("created_at", "user_id", "username", "ip_address", "action", "object_type", "object_id",
          "object_repr", "outcome", "detail")


def _canonical(name, value):
    if value is None or value == "":
        return None
    if name == "created_at":
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if name == "ip_address":
        return ipaddress.ip_address(str(value)).compressed
    return str(value)


def keyed_hash(content):
    """The HMAC-SHA256, with the chain key, of a list of strings and numbers (as compact JSON).

    Other records that must not be rewritable by whoever can write the database (the chain head,
    the daily digest, an issue's public state) are sealed with it; each list starts with a
    different tag, or has a different length, so no seal can stand for another."""
    message = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    key = (getattr(settings, "AUDIT_CHAIN_KEY", "") or settings.SECRET_KEY).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def digest(values, prev_hash):
    """The HMAC-SHA256 of one record's fields (a mapping with FIELDS) chained to `prev_hash`."""
    return keyed_hash([_canonical(name, values[name]) for name in FIELDS] + [prev_hash])


def head_seal(last_hash, anchor, count):
    return keyed_hash(["audit-chain-head", last_hash, anchor, count])


def seal_head(head):
    """Seal the head's three values; call before saving any change of them."""
    head.seal = head_seal(head.last_hash, head.anchor, head.count)


def head_is_intact(head):
    return hmac.compare_digest(head_seal(head.last_hash, head.anchor, head.count), head.seal or "")


def _values(event):
    return {name: getattr(event, name) for name in FIELDS}


def row_is_intact(event):
    """Whether the record's fields still give the hash it was chained with."""
    return hmac.compare_digest(digest(_values(event), event.prev_hash), event.row_hash)


def locked_head(head_model):
    """The chain head, locked until the transaction ends (it is recreated after a test's flush)."""
    head, _ = head_model.objects.select_for_update().get_or_create(
        pk=HEAD_ID, defaults={"last_hash": GENESIS, "anchor": GENESIS, "count": 0,
                              "seal": head_seal(GENESIS, GENESIS, 0)})
    return head


def append(event, save):
    """Chain `event` onto the log and insert it with `save()`, under the head's lock."""
    from .models import AuditChainHead

    with transaction.atomic(using=event._state.db or "default"):
        head = locked_head(AuditChainHead)
        event.prev_hash = head.last_hash
        event.row_hash = digest(_values(event), event.prev_hash)
        save()
        head.last_hash = event.row_hash
        head.count += 1
        seal_head(head)
        head.save(update_fields=["last_hash", "count", "seal"])


@dataclass
class Break:
    event_id: object
    message: str


def verify(events, head):
    """The first break in the chain, or None. `events` in id order, `head` the chain head or None."""
    if head is not None and not head_is_intact(head):
        return Break(None, "审计链头记录与其密钥哈希不符：链头被改写，可能是为了掩盖被删除的记录。")
    expected_prev = head.anchor if head is not None else GENESIS
    last, count = None, 0
    for event in events:
        count += 1
        if event.prev_hash != expected_prev:
            if last is None:
                message = f"第一条审计记录（编号 {event.pk}）不接续链起点：之前的记录被删除或清空。"
            else:
                message = (f"审计记录（编号 {event.pk}）不接续上一条（编号 {last.pk}）：其间的记录被删除，"
                           "或此条是插入的。")
            return Break(event.pk, message)
        if not row_is_intact(event):
            return Break(event.pk, f"审计记录（编号 {event.pk}）的内容与其哈希不符：此条被修改或伪造。")
        expected_prev, last = event.row_hash, event
    if head is None:
        if last is None:
            return None
        return Break(None, "审计链头记录缺失：链头表被删除或清空。")
    if head.last_hash != expected_prev:
        after = f"编号 {last.pk} 之后" if last is not None else "全部"
        return Break(None, f"审计链头记录的最后一条不存在：{after}的审计记录被删除或清空。")
    if head.count != count:
        return Break(None, f"审计链头记录共 {head.count} 条，现有 {count} 条：有记录被删除或插入。")
    return None
