"""The match index of published opportunities, one per data version, shared by every process.

The index is rebuilt when the data version changes (``services.versions``). A rebuild runs as a task
(``rebuild_match_index``) that saves the index per data version in the instance folder, while requests
keep using the previous index, so no request waits for it (except the very first, when there is none
yet, or when ``PANJEREH_SYNC_INDEX`` is set, as in tests and in the worker itself).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import County, Opportunity, Sector, ValueChain
from app.queue import huey, task_context
from app.services.gaps import province_gaps
from app.services.graph import data_version, value_chain_graph
from app.services.records import domain_products, opportunity_record
from chains import records as rec
from matching.features import MatchIndex

_lock = threading.Lock()
_state: dict = {"index": None, "key": None, "requested": None}


def opportunities_version() -> tuple:
    """The data version: the counter row is bumped by every write to opportunities and the graph."""
    return data_version()


def build_index() -> MatchIndex:
    opps = db.session.scalars(
        select(Opportunity).where(Opportunity.status == "published")
        .options(selectinload(Opportunity.product), selectinload(Opportunity.county),
                 selectinload(Opportunity.agency), selectinload(Opportunity.financing))
        .order_by(Opportunity.id)).all()
    priority: dict[str, float] = {}
    for gap in province_gaps():
        priority[gap.product] = max(priority.get(gap.product, 0.0), gap.priority)
    chains = [rec.Chain(c.slug, c.name_fa, c.name_en, c.priority) for c in db.session.scalars(select(ValueChain))]
    # Sectors are named through the same table (the index looks sector and chain slugs up there), so a
    # reason reads «در بخش کشاورزی و غذا», never the slug.
    chains += [rec.Chain(s.slug, s.name_fa, s.name_en, 0.0) for s in db.session.scalars(select(Sector))]
    counties = [rec.County(c.slug, c.name_fa, c.name_en) for c in db.session.scalars(select(County))]
    return MatchIndex().fit([opportunity_record(o) for o in opps], graph=value_chain_graph(),
                            gap_priority=priority, products=domain_products(), chains=chains, counties=counties)


def _rebuild_in_background(app, key) -> None:
    """Ask the task queue for the index of this version (``tasks.rebuild_match_index``), once per process."""
    with _lock:
        if _state.get("requested") == key:
            return
        _state["requested"] = key
    try:
        rebuild_match_index()
    except Exception:  # noqa: BLE001 - the queue being down keeps serving the previous index
        app.logger.exception("match index rebuild could not be queued")
        with _lock:
            _state["requested"] = None


def index_path(key) -> Path:
    """The saved index of one data version: ``match_index-<database>-<version>.pickle`` in the instance folder.

    Plain pickle (protocol 5, the C unpickler): at national scale joblib's pure-Python
    unpickler took 4.7 times as long to load the same index (89 s against 19 s measured on a busy 2-core
    machine at a quarter of the design scale), and every web worker loads it when it starts."""
    url, version = key
    folder = Path(current_app.config.get("PANJEREH_INDEX_DIR") or current_app.instance_path)
    return folder / f"match_index-{hashlib.sha1(url.encode()).hexdigest()[:10]}-{version}.pickle"


def save_index(key, index: MatchIndex) -> Path:
    """Write atomically (a temporary file renamed), then drop older versions of the same database."""
    path = index_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(index, fh, protocol=5)
    os.replace(tmp, path)
    prefix = path.name.rsplit("-", 1)[0] + "-"
    for old in path.parent.glob(prefix + "*.pickle"):
        if old != path:
            try:
                if int(old.stem.rsplit("-", 1)[1]) < key[1]:
                    old.unlink(missing_ok=True)
            except (ValueError, OSError):
                pass
    return path


def load_saved_index(key) -> MatchIndex | None:
    path = index_path(key)
    if not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)  # noqa: S301 - the app's own file in its instance folder
    except Exception:  # noqa: BLE001 - a half-written or foreign file: rebuild instead
        current_app.logger.exception("saved match index %s unreadable", path)
        return None


def build_and_save_index() -> Path:
    """The task's work: the index of the current version, built unless a saved one exists."""
    key = opportunities_version()
    path = index_path(key)
    if not path.exists():
        index = build_index()
        path = save_index(key, index)
        with _lock:
            _state.update(index=index, key=key)
    return path


def match_index() -> MatchIndex:
    """The index of the current data version. Web processes load the file a worker saved; meanwhile they
    serve the previous index and ask the queue for a rebuild. They build in the request only when they
    have none yet, or with ``PANJEREH_SYNC_INDEX`` (tests; the worker itself)."""
    key = opportunities_version()
    with _lock:
        index, current = _state["index"], _state["key"]
    if index is not None and current == key:
        return index
    sync = current_app.config.get("PANJEREH_SYNC_INDEX")
    if not sync:
        saved = load_saved_index(key)
        if saved is not None:
            with _lock:
                _state.update(index=saved, key=key)
            return saved
        if index is not None:
            _rebuild_in_background(current_app._get_current_object(), key)
            return index
    index = build_index()
    with _lock:
        _state.update(index=index, key=key)
    if not sync or current_app.config.get("PANJEREH_WORKER"):
        try:
            save_index(key, index)
        except OSError:
            current_app.logger.exception("match index not saved")
    return index



@huey.task()
def rebuild_match_index() -> str:
    """Build the match index of the current data version and save it for the web processes."""
    with task_context():
        return str(build_and_save_index())


def reset() -> None:
    with _lock:
        _state.update(index=None, key=None, requested=None)
