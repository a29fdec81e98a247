"""The value-chain graph: products as nodes, supplier → user links as edges.

A graph is a :class:`networkx.DiGraph` whose nodes are product codes. Each
node carries the :class:`~chains.records.Product` record under ``"product"``
plus numeric copies of its figures (``capacity``, ``output``, ``demand``,
``inflow``, ``outflow``, ``price``, ``jobs``) and its ``stage`` and
``chains``. Each edge ``supplier → user`` carries ``"coefficient"`` (units of
supplier per unit of user) and the :class:`~chains.records.Link` as
``"link"``.

:func:`build_graph` validates its input and also stores a
:class:`ChainArrays` view (NumPy vectors in code order and the sparse
coefficient matrix) in ``G.graph``; :mod:`chains.gaps` and
:mod:`chains.simulate` compute on that view rather than walking networkx
dictionaries. :func:`graph_arrays` returns it, rebuilding it when the graph
has gained or lost nodes or edges. After editing node figures in place, call
``graph_arrays(G, refresh=True)``.

>>> from chains.records import Product, Link
>>> products = [
...     Product("2603", "سنگ مس", "Copper ore", "mining", "raw", output=100),
...     Product("7403", "کاتد مس", "Copper cathode", "metals", "intermediate", output=5),
...     Product("7408", "سیم مسی", "Copper wire", "metals", "intermediate", inflow=8),
...     Product("8544", "کابل", "Insulated cable", "electrical", "final", output=10),
... ]
>>> links = [Link("2603", "7403", 20.0), Link("7403", "7408", 1.02),
...          Link("7408", "8544", 0.6)]
>>> G = build_graph(products, links)
>>> G.number_of_nodes(), G.number_of_edges()
(4, 3)
>>> suppliers(G, "8544")
{'7408': 1, '7403': 2, '2603': 3}
>>> customers(G, "2603", depth=1)
{'7403': 1}
>>> raw_to_final_paths(G)
[['2603', '7403', '7408', '8544']]
>>> local_supply_break(G, ['2603', '7403', '7408', '8544'], 0.5)
'7408'
"""

from __future__ import annotations

import gc
import math
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from numbers import Real

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from chains.errors import ChainDataError, Problem, problem
from chains.records import STAGES, Link, Product

__all__ = [
    "ChainArrays",
    "build_graph",
    "graph_arrays",
    "suppliers",
    "customers",
    "chain_subgraph",
    "raw_to_final_paths",
    "local_supply_break",
    "local_share",
    "stale_figures",
]

#: Product fields that hold physical quantities (floats) and counts or money (ints).
QUANTITY_FIELDS = ("capacity", "output", "demand", "inflow", "outflow")
COUNT_FIELDS = ("unit_price_rials", "active_units", "idle_units", "jobs")
_ARRAYS_KEY = "chains.arrays"
_STAGE_INDEX = {stage: i for i, stage in enumerate(STAGES)}


@dataclass(frozen=True, eq=False)
class ChainArrays:
    """Column view of a chain graph, every vector indexed like ``codes``.

    ``codes`` is sorted, so nothing computed from this view depends on the
    order in which records arrived. ``A`` is the ``n × n`` CSR matrix with
    ``A[s, u]`` = units of supplier ``s`` per unit of user ``u``; ``A @ output``
    is the local intermediate use of every product.
    """

    codes: tuple[str, ...]
    index: dict[str, int]
    output: np.ndarray
    capacity: np.ndarray
    demand: np.ndarray
    inflow: np.ndarray
    outflow: np.ndarray
    price: np.ndarray
    jobs: np.ndarray
    idle_units: np.ndarray
    stage: np.ndarray  # index into chains.records.STAGES, -1 when unknown
    A: sp.csr_array
    n_edges: int
    products: tuple[Product, ...]

    @property
    def topo_key(self) -> np.ndarray:
        """Sort key putting suppliers before users; cached.

        Products of one strongly connected component (a cycle) share a
        contiguous run, so ``A`` permuted by ``argsort(topo_key)`` is block
        upper triangular. Computed by a vectorised Kahn sweep over the
        condensation (one NumPy step per level).
        """
        cached = self.__dict__.get("_topo_key")
        if cached is None:
            cached = _topological_key(self.A)
            object.__setattr__(self, "_topo_key", cached)
        return cached

    @property
    def AT(self) -> sp.csr_array:
        """``A`` transposed, in CSR form (row ``u`` lists the suppliers of ``u``); cached."""
        cached = self.__dict__.get("_AT")
        if cached is None:
            cached = self.A.T.tocsr()
            cached.sort_indices()
            object.__setattr__(self, "_AT", cached)
        return cached


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block that allocates much but makes no cycles.

    Building half a million edge dicts (or tens of thousands of gap records)
    sets off full collections that rescan the whole graph again and again;
    nothing built here can form a garbage cycle, so the collector waits.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _topological_key(A: sp.csr_array) -> np.ndarray:
    n = A.shape[0]
    k, label = connected_components(A, directed=True, connection="strong")
    coo = A.tocoo()
    s, u = label[coo.row], label[coo.col]
    keep = s != u
    C = sp.csr_array((np.ones(int(keep.sum())), (s[keep], u[keep])), shape=(k, k))
    C.sum_duplicates()
    remaining = np.diff(C.tocsc().indptr)
    level = np.zeros(k, dtype=np.int64)
    frontier = np.flatnonzero(remaining == 0)
    depth = 0
    while frontier.size:
        level[frontier] = depth
        hit = np.bincount(C[frontier].indices, minlength=k)
        remaining = remaining - hit
        frontier = np.flatnonzero((remaining == 0) & (hit > 0))
        depth += 1
    return level[label] * max(k, 1) + label if n else np.zeros(0, dtype=np.int64)


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _product_problems(products: Sequence[Product]) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for i, p in enumerate(products, start=1):
        record = f"product {p.code}"
        if p.code in first_seen:
            problems.append(
                problem("duplicate_code", record=record, field="code",
                        code_value=p.code, first=first_seen[p.code])
            )
        else:
            first_seen[p.code] = i
        for name in QUANTITY_FIELDS + COUNT_FIELDS:
            value = getattr(p, name)
            if not _is_number(value) or math.isnan(value) or math.isinf(value):
                problems.append(problem("non_numeric", record=record, field=name, value=value))
            elif value < 0:
                problems.append(problem("negative", record=record, field=name, value=value))
    return problems


def _link_problems(links: Sequence[Link], codes: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str], int] = {}
    for i, link in enumerate(links, start=1):
        s, u, c = link.supplier, link.user, link.coefficient
        record = f"link {i} ({s} → {u})"
        for name, code in (("supplier", s), ("user", u)):
            if code not in codes:
                problems.append(problem("unknown_product", record=record, field=name, code_value=code))
        if s == u:
            problems.append(problem("self_link", record=record, field="user", code_value=s))
        if (s, u) in first_seen:
            problems.append(
                problem("duplicate_link", record=record, field="user",
                        supplier=s, user=u, first=first_seen[(s, u)])
            )
        else:
            first_seen[(s, u)] = i
        if not _is_number(c) or math.isnan(c) or math.isinf(c):
            problems.append(problem("non_numeric", record=record, field="coefficient", value=c))
        elif c <= 0:
            problems.append(problem("coefficient_not_positive", record=record, field="coefficient", value=c))
    return problems


def _products_fast_ok(products: Sequence[Product]) -> bool:
    """Vectorised check that the products need no detailed report."""
    if len({p.code for p in products}) != len(products):
        return False
    for name in QUANTITY_FIELDS + COUNT_FIELDS:
        values = [getattr(p, name) for p in products]
        if not {type(v) for v in values} <= {int, float, np.float64, np.int64}:
            return False
        arr = np.asarray(values, dtype=float)
        if arr.size and not (np.isfinite(arr).all() and (arr >= 0).all()):
            return False
    return True


def build_graph(products: Iterable[Product], links: Iterable[Link]) -> nx.DiGraph:
    """Build and validate the value-chain graph.

    Parameters
    ----------
    products : iterable of Product
        The nodes. Codes must be unique; quantities, prices, unit counts and
        jobs must be finite and non-negative numbers.
    links : iterable of Link
        The edges ``supplier → user``. Both ends must be known products, a
        product may not supply itself, a pair may appear once, and the
        coefficient must be a finite number above zero.

    Returns
    -------
    networkx.DiGraph
        Nodes keyed by product code; see the module docstring for the
        attributes. ``G.graph`` also holds the :class:`ChainArrays` view.

    Raises
    ------
    chains.errors.ChainDataError
        Listing every problem found (a :class:`ValueError`).

    Examples
    --------
    >>> from chains.records import Product, Link
    >>> p = [Product("0401", "شیر خام", "Raw milk", "dairy", "raw"),
    ...      Product("0406", "پنیر", "Cheese", "dairy", "final")]
    >>> build_graph(p, [Link("0401", "0406", 7.5)])["0401"]["0406"]["coefficient"]
    7.5
    >>> build_graph(p, [Link("0401", "0401", 1.0)])
    Traceback (most recent call last):
    ...
    chains.errors.ChainDataError: link 1 (0401 → 0401), column user: Product 0401 cannot be its own supplier
    """
    with gc_paused():
        return _build(products, links)


def _build(products: Iterable[Product], links: Iterable[Link]) -> nx.DiGraph:
    products = list(products)
    links = list(links)
    if not _products_fast_ok(products):
        problems = _product_problems(products)
        if problems:
            problems += _link_problems(links, {p.code for p in products})
            raise ChainDataError(problems)
    ordered = sorted(products, key=lambda p: p.code)
    codes = tuple(p.code for p in ordered)
    index = {code: i for i, code in enumerate(codes)}
    n = len(codes)

    # One pass over the links into plain lists; everything else is vectorised.
    sup = [link.supplier for link in links]
    usr = [link.user for link in links]
    coef = [link.coefficient for link in links]
    ok = set(sup).issubset(index) and set(usr).issubset(index)
    ok = ok and {type(c) for c in coef} <= {int, float, np.float64}
    if ok and links:
        si = np.fromiter(map(index.__getitem__, sup), dtype=np.int64, count=len(sup))
        ui = np.fromiter(map(index.__getitem__, usr), dtype=np.int64, count=len(usr))
        c = np.asarray(coef, dtype=float)
        ok = bool(
            np.isfinite(c).all()
            and (c > 0).all()
            and not (si == ui).any()
            and np.unique(si * n + ui).size == si.size
        )
    elif ok:
        si = ui = np.zeros(0, dtype=np.int64)
        c = np.zeros(0)
    if not ok:
        raise ChainDataError(_link_problems(links, set(index)))

    def num(values: Iterable[float]) -> np.ndarray:
        return np.fromiter(values, dtype=float, count=n)

    A = sp.csr_array((c, (si, ui)), shape=(n, n))
    A.sort_indices()
    arrays = ChainArrays(
        codes=codes,
        index=index,
        output=num(p.output for p in ordered),
        capacity=num(p.capacity for p in ordered),
        demand=num(p.demand for p in ordered),
        inflow=num(p.inflow for p in ordered),
        outflow=num(p.outflow for p in ordered),
        price=num(p.unit_price_rials for p in ordered),
        jobs=num(p.jobs for p in ordered),
        idle_units=num(p.idle_units for p in ordered),
        stage=np.fromiter((_STAGE_INDEX.get(p.stage, -1) for p in ordered), dtype=np.int64, count=n),
        A=A,
        n_edges=len(links),
        products=tuple(ordered),
    )

    G = _populate(ordered, links)
    G.graph[_ARRAYS_KEY] = arrays
    return G


def _populate(ordered: list[Product], links: list[Link]) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_nodes_from(
        (
            p.code,
            {
                "product": p,
                "stage": p.stage,
                "chains": p.chains,
                "capacity": float(p.capacity),
                "output": float(p.output),
                "demand": float(p.demand),
                "inflow": float(p.inflow),
                "outflow": float(p.outflow),
                "price": int(p.unit_price_rials),
                "jobs": int(p.jobs),
            },
        )
        for p in ordered
    )
    G.add_edges_from(
        (link.supplier, link.user, {"coefficient": float(link.coefficient), "link": link})
        for link in links
    )
    return G


def _arrays_from_graph(G: nx.DiGraph) -> ChainArrays:
    codes = tuple(sorted(G))
    index = {code: i for i, code in enumerate(codes)}
    n = len(codes)
    ordered = [G.nodes[code]["product"] for code in codes]
    edges = list(G.edges(data="coefficient"))
    si = np.fromiter((index[s] for s, _, _ in edges), dtype=np.int64, count=len(edges))
    ui = np.fromiter((index[u] for _, u, _ in edges), dtype=np.int64, count=len(edges))
    c = np.fromiter((w for _, _, w in edges), dtype=float, count=len(edges))
    A = sp.csr_array((c, (si, ui)), shape=(n, n))
    A.sort_indices()

    def num(name: str) -> np.ndarray:
        return np.fromiter((getattr(p, name) for p in ordered), dtype=float, count=n)

    return ChainArrays(
        codes=codes,
        index=index,
        output=num("output"),
        capacity=num("capacity"),
        demand=num("demand"),
        inflow=num("inflow"),
        outflow=num("outflow"),
        price=num("unit_price_rials"),
        jobs=num("jobs"),
        idle_units=num("idle_units"),
        stage=np.fromiter((_STAGE_INDEX.get(p.stage, -1) for p in ordered), dtype=np.int64, count=n),
        A=A,
        n_edges=len(edges),
        products=tuple(ordered),
    )


def graph_arrays(G: nx.DiGraph, *, refresh: bool = False) -> ChainArrays:
    """Return the cached :class:`ChainArrays` of ``G``, rebuilding it when stale.

    The cache is rebuilt when ``refresh`` is true, when there is none (a
    graph built by hand) or when the graph's node count no longer matches it.
    Counting edges costs a pass over every node, so after adding or removing
    edges, or editing figures, in place, pass ``refresh=True``.

    >>> from chains.records import Product
    >>> G = build_graph([Product("0401", "شیر خام", "Raw milk", "dairy", "raw", output=3)], [])
    >>> graph_arrays(G).output.tolist()
    [3.0]
    """
    arrays = G.graph.get(_ARRAYS_KEY)
    if (
        refresh
        or not isinstance(arrays, ChainArrays)
        or len(arrays.codes) != G.number_of_nodes()
    ):
        arrays = _arrays_from_graph(G)
        if not nx.is_frozen(G):
            G.graph[_ARRAYS_KEY] = arrays
    return arrays


def _bfs(neighbours: Mapping, code: str, depth: int | None) -> dict[str, int]:
    if code not in neighbours:
        raise nx.NodeNotFound(f"product {code} is not in the graph")
    seen = {code: 0}
    queue = deque([code])
    while queue:
        node = queue.popleft()
        d = seen[node]
        if depth is not None and d >= depth:
            continue
        for other in sorted(neighbours[node]):
            if other not in seen:
                seen[other] = d + 1
                queue.append(other)
    del seen[code]
    return seen


def suppliers(G: nx.DiGraph, code: str, depth: int | None = None) -> dict[str, int]:
    """Products upstream of ``code`` with their distance in links.

    ``depth`` limits how many links to walk (``None``: all the way to the
    raw materials). The product itself is not listed.

    >>> from chains.records import Product, Link
    >>> G = build_graph([Product(c, c, c, "s", "raw") for c in "abc"],
    ...                 [Link("a", "b", 1.0), Link("b", "c", 1.0)])
    >>> suppliers(G, "c"), suppliers(G, "c", depth=1)
    ({'b': 1, 'a': 2}, {'b': 1})
    """
    return _bfs(G._pred, code, depth)


def customers(G: nx.DiGraph, code: str, depth: int | None = None) -> dict[str, int]:
    """Products downstream of ``code`` (those using it, directly or further on) with their distance.

    >>> from chains.records import Product, Link
    >>> G = build_graph([Product(c, c, c, "s", "raw") for c in "abc"],
    ...                 [Link("a", "b", 1.0), Link("b", "c", 1.0)])
    >>> customers(G, "a")
    {'b': 1, 'c': 2}
    """
    return _bfs(G._succ, code, depth)


def chain_subgraph(G: nx.DiGraph, chain_slug: str) -> nx.DiGraph:
    """The read-only subgraph of products that belong to the chain ``chain_slug``.

    >>> from chains.records import Product, Link
    >>> G = build_graph([Product("a", "a", "a", "s", "raw", chains=("dairy",)),
    ...                  Product("b", "b", "b", "s", "final", chains=("dairy", "confectionery")),
    ...                  Product("c", "c", "c", "s", "final", chains=("copper",))],
    ...                 [Link("a", "b", 1.0)])
    >>> sorted(chain_subgraph(G, "dairy").edges)
    [('a', 'b')]
    """
    nodes = [code for code, chains in G.nodes(data="chains") if chains and chain_slug in chains]
    return G.subgraph(nodes)


def _stage(G: nx.DiGraph, code: str) -> str:
    return G.nodes[code].get("stage", "")


def raw_to_final_paths(
    G: nx.DiGraph, chain_slug: str | None = None, limit: int = 200
) -> list[list[str]]:
    """Paths from where a chain starts to where it ends, at most ``limit`` of them.

    A path starts at a raw-stage product or a product with no supplier, and
    ends at the first final-stage product or product with no customer it
    reaches; it has at least one link and visits no product twice. With
    ``chain_slug`` only that chain's products are walked. Paths come in a
    fixed order (starts by code, then depth-first with successors by code),
    so the same data always yields the same list.

    >>> from chains.records import Product, Link
    >>> G = build_graph([Product("a", "a", "a", "s", "raw"), Product("b", "b", "b", "s", "intermediate"),
    ...                  Product("c", "c", "c", "s", "final"), Product("d", "d", "d", "s", "final")],
    ...                 [Link("a", "b", 1.0), Link("b", "c", 1.0), Link("b", "d", 1.0)])
    >>> raw_to_final_paths(G)
    [['a', 'b', 'c'], ['a', 'b', 'd']]
    >>> raw_to_final_paths(G, limit=1)
    [['a', 'b', 'c']]
    """
    H = chain_subgraph(G, chain_slug) if chain_slug is not None else G
    succ = {node: sorted(H.successors(node)) for node in H}
    starts = sorted(n for n in H if _stage(H, n) == "raw" or H.in_degree(n) == 0)
    paths: list[list[str]] = []
    if limit <= 0:
        return paths

    def is_end(node: str) -> bool:
        return _stage(H, node) == "final" or not succ[node]

    for start in starts:
        if not succ[start]:
            continue
        path = [start]
        on_path = {start}
        stack: list[Iterator[str]] = [iter(succ[start])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            if nxt in on_path:
                continue
            if is_end(nxt):
                paths.append(path + [nxt])
                if len(paths) >= limit:
                    return paths
                continue
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(succ[nxt]))
    return paths


def local_share(G: nx.DiGraph, code: str) -> float:
    """Share of a product's supply made in the province: output / (output + inflow).

    A product neither made nor brought in has a local share of 0.

    >>> from chains.records import Product
    >>> G = build_graph([Product("a", "a", "a", "s", "raw", output=3, inflow=1)], [])
    >>> local_share(G, "a")
    0.75
    """
    node = G.nodes[code]
    total = node["output"] + node["inflow"]
    return node["output"] / total if total > 0 else 0.0


def local_supply_break(G: nx.DiGraph, path: Sequence[str], threshold: float = 0.5) -> str | None:
    """Where local supply ends along ``path``: the first product whose local share is below ``threshold``.

    Returns ``None`` when every product on the path is made locally at least
    at that share. See :func:`local_share`.

    >>> from chains.records import Product, Link
    >>> G = build_graph([Product("a", "a", "a", "s", "raw", output=9, inflow=1),
    ...                  Product("b", "b", "b", "s", "final", output=1, inflow=3)],
    ...                 [Link("a", "b", 1.0)])
    >>> local_supply_break(G, ["a", "b"], 0.5), local_supply_break(G, ["a", "b"], 0.2)
    ('b', None)
    """
    for code in path:
        if local_share(G, code) < threshold:
            return code
    return None


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def stale_figures(
    products: Iterable[Product], today: date, months: int = 18, *, undated_is_stale: bool = True
) -> list[str]:
    """Codes of products whose figures are older than ``months`` months (sorted).

    A figure dated exactly ``months`` months ago is still fresh. Products
    with no provenance date count as stale unless ``undated_is_stale`` is
    false: nobody can say how old their figures are. The app passes
    ``GapSettings().stale_months`` as ``months``.

    >>> from chains.records import Product, Provenance
    >>> ps = [Product("a", "a", "a", "s", "raw", provenance=Provenance(as_of=date(2023, 1, 31))),
    ...       Product("b", "b", "b", "s", "raw", provenance=Provenance(as_of=date(2023, 3, 1))),
    ...       Product("c", "c", "c", "s", "raw")]
    >>> stale_figures(ps, date(2024, 8, 31))
    ['a', 'c']
    >>> stale_figures(ps, date(2024, 8, 31), undated_is_stale=False)
    ['a']
    """
    cutoff = _months_before(today, months)
    stale = []
    for p in products:
        as_of = p.provenance.as_of if p.provenance is not None else None
        if as_of is None:
            if undated_is_stale:
                stale.append(p.code)
        elif as_of < cutoff:
            stale.append(p.code)
    return sorted(stale)
