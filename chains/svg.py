"""A server-side SVG drawing of one value chain, with its gaps coloured.

Columns follow the stages -- raw, intermediate, final, service -- and the
supply order inside a stage (a product's column is after all its suppliers'
of the same stage; long columns wrap). The columns are laid out in bands as
wide as ``max_width`` allows (a long chain reads as lines of a text, one band
below the other, each band naming the stages of its columns), so the drawing
fits its frame instead of scrolling sideways. Persian drawings run right to
left, English left to right. Nodes are rounded rectangles named in the page's
language, wrapped onto up to three lines (never cut); a node with a gap is
coloured by the kind of its highest-priority gap and carries one mark per gap
kind (the shape of the gaps chart: circle, square, triangle, diamond, cross)
beside its code; the legend explains every colour, every mark and the arrow.
Edges are arrows from supplier to user, drawn over the boxes so none hides
behind one; an arrow to a box in another band, or back to an earlier column,
runs along the gaps between columns and between bands, never across a box.
The drawing has ``role="img"``, a ``<title>`` and a ``<desc>``, every node
a ``<title>`` tooltip; all text is XML-escaped. No scripts.

>>> from chains.records import Product, Link
>>> from chains.graph import build_graph
>>> G = build_graph([Product("0401", "شیر خام", "Raw milk", "dairy", "raw", chains=("dairy",)),
...                  Product("0406", "پنیر", "Cheese & curd", "dairy", "final", chains=("dairy",))],
...                 [Link("0401", "0406", 7.5)])
>>> svg = chain_svg(G, "dairy", [], lang="en", chain_name="Dairy")
>>> svg.startswith("<svg") and 'role="img"' in svg and "Cheese &amp; curd" in svg
True
>>> svg.count("<rect class=\\"node")
2
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from xml.sax.saxutils import escape

import networkx as nx

from chains.gaps import KINDS, Gap
from chains.graph import chain_subgraph
from chains.records import STAGES

__all__ = ["chain_svg", "KIND_COLOURS", "KIND_LABELS", "KIND_SHAPES", "MAX_WIDTH", "STAGE_LABELS", "wrap_name"]

#: (fill, stroke) per gap kind: pale fills, strong outlines of clearly different hues.
KIND_COLOURS = {
    "missing_supplier": ("#f9d3c9", "#c0392b"),
    "shortfall": ("#fff1a6", "#a88300"),
    "unprocessed_outflow": ("#ead6f2", "#7d3c98"),
    "idle_capacity": ("#d3e8f8", "#0f6fb0"),
    "infrastructure": ("#dedede", "#222222"),
}
_PLAIN = ("#ffffff", "#8a8a8a")
#: The mark of each gap kind: the same shapes as the province's gaps chart.
KIND_SHAPES = {"missing_supplier": "circle", "shortfall": "square", "unprocessed_outflow": "triangle",
               "idle_capacity": "diamond", "infrastructure": "cross"}
KIND_LABELS = {
    "missing_supplier": ("تأمین‌کنندهٔ محلی ندارد", "Missing local supplier"),
    "shortfall": ("کمبود ظرفیت", "Capacity shortfall"),
    "unprocessed_outflow": ("خروج بدون فرآوری", "Leaves unprocessed"),
    "idle_capacity": ("ظرفیت بلااستفاده", "Idle capacity"),
    "infrastructure": ("تنگنای زیرساخت", "Infrastructure bottleneck"),
}
STAGE_LABELS = {
    "raw": ("مواد خام", "Raw materials"),
    "intermediate": ("واسطه‌ای", "Intermediate"),
    "final": ("نهایی", "Final products"),
    "service": ("خدمات", "Services"),
}

NODE_W = 176
LINE_H = 16
COL_GAP, ROW_GAP = 64, 14
MARGIN, HEADER, LEGEND_ROW = 20, 64, 24
#: The side margins hold the lanes of arrows leaving the last column of a band or entering the first.
SIDE = MARGIN + COL_GAP // 2
#: Between two bands: the stage names of the band below and the lanes of arrows running between bands.
BAND_GAP = 72
#: The widest drawing laid out by default: the chain page's frame on a 1366 px desktop.
MAX_WIDTH = 1080
MAX_ROWS = 12
MAX_CHARS = 24
MAX_LINES = 3
FONT = "Vazirmatn, Vazir, Tahoma, 'Noto Sans Arabic', sans-serif"


_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _digits(text: object, fa: bool) -> str:
    """Persian digits in a Persian drawing (codes and counts included), Latin digits in an English one."""
    return str(text).translate(_FA_DIGITS) if fa else str(text)


def _attr(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


def wrap_name(text: str, width: int = MAX_CHARS, lines: int = MAX_LINES) -> list[str]:
    """The name on at most ``lines`` lines of about ``width`` characters, broken between words, never cut.

    >>> wrap_name("آزمایشگاه آزمون و تحلیل فنی")
    ['آزمایشگاه آزمون و تحلیل', 'فنی']
    >>> wrap_name("Copper cathodes and ingots of copper alloys, unwrought", lines=2)
    ['Copper cathodes and', 'ingots of copper alloys, unwrought']
    """
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:  # the last line takes the rest: longer, but nothing is lost
        out = out[: lines - 1] + [" ".join(out[lines - 1:])]
    return out or [""]


def _mark(shape: str, x: float, y: float, colour: str, size: float = 5.0) -> str:
    """One gap mark centred on (x, y): filled shape, dark outline (tells kinds apart without colour)."""
    style = f'fill="{colour}" stroke="#1a1a1a" stroke-width="0.8"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" {style}/>'
    if shape == "square":
        return f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" height="{2 * size:.1f}" {style}/>'
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y + size:.1f} '
                f'{x - size - 1:.1f},{y + size:.1f}" {style}/>')
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y:.1f} {x:.1f},{y + size + 1:.1f} '
                f'{x - size - 1:.1f},{y:.1f}" {style}/>')
    return (f'<path d="M{x - size:.1f},{y - size:.1f} L{x + size:.1f},{y + size:.1f} M{x + size:.1f},{y - size:.1f} '
            f'L{x - size:.1f},{y + size:.1f}" stroke="{colour}" stroke-width="3" fill="none"/>')


def _columns(H: nx.DiGraph) -> list[tuple[str, list[str]]]:
    """Columns of node codes, left to right in supply order, with the stage of each."""
    depth: dict[str, int] = {}
    stage_of = {n: (H.nodes[n].get("stage") if H.nodes[n].get("stage") in STAGES else "intermediate") for n in H}
    rank = {s: i for i, s in enumerate(STAGES)}
    if nx.is_directed_acyclic_graph(H):
        for node in nx.lexicographical_topological_sort(H):
            same = [depth[p] + 1 for p in H.predecessors(node) if stage_of[p] == stage_of[node]]
            depth[node] = max(same, default=0)
        # A product with no supplier of its own stage sits just before its
        # first same-stage customer (or in the stage's last column), so its
        # links do not cross the columns in between.
        last = {}
        for n in H:
            last[stage_of[n]] = max(last.get(stage_of[n], 0), depth[n])
        for node in reversed(list(nx.lexicographical_topological_sort(H))):
            if any(stage_of[p] == stage_of[node] for p in H.predecessors(node)):
                continue
            later = [depth[u] - 1 for u in H.successors(node) if stage_of[u] == stage_of[node]]
            depth[node] = min(later) if later else last[stage_of[node]]
    else:
        depth = dict.fromkeys(H, 0)
    keys = sorted({(rank[stage_of[n]], depth[n]) for n in H})
    columns: list[tuple[str, list[str]]] = []
    row_of: dict[str, float] = {}
    for key in keys:
        members = [n for n in H if (rank[stage_of[n]], depth[n]) == key]

        def barycentre(n: str) -> tuple[float, str]:
            rows = [row_of[p] for p in H.predecessors(n) if p in row_of]
            return (sum(rows) / len(rows) if rows else float("inf"), n)

        members.sort(key=barycentre)
        for start in range(0, len(members), MAX_ROWS):
            chunk = members[start: start + MAX_ROWS]
            for r, n in enumerate(chunk):
                row_of[n] = r
            columns.append((STAGES[key[0]], chunk))
    return columns


def chain_svg(
    G: nx.DiGraph,
    chain_slug: str,
    gaps: Iterable[Gap] = (),
    lang: str = "fa",
    names: Mapping[str, str] | None = None,
    *,
    chain_name: str | None = None,
    max_width: int = MAX_WIDTH,
    only: Collection[str] | None = None,
) -> str:
    """Draw the chain ``chain_slug`` of ``G`` as a standalone SVG string.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph from :func:`chains.graph.build_graph`.
    chain_slug : str
        Which chain to draw.
    gaps : iterable of Gap
        Gaps to colour, in priority order (the first gap of a product wins).
    lang : {"fa", "en"}
        Language of the names and labels; ``"fa"`` lays the chain out right to left.
    names : mapping, optional
        Product code → display name, overriding the product's own name.
    chain_name : str, optional
        The chain's name for the title (default: the slug).
    max_width : int, optional
        The widest the drawing may be: columns that do not fit go on to a band below (at least one
        column a band, so a single column is never cut).
    only : collection of str, optional
        Draw only these products of the chain (and the links among them): a chain of thousands of
        products is drawn as the part a page lists.
    """
    fa = lang == "fa"
    pick = 0 if fa else 1
    H = chain_subgraph(G, chain_slug)
    if only is not None:
        wanted = set(only)
        H = H.subgraph([code for code in H if code in wanted])
    names = names or {}
    first_gap: dict[str, Gap] = {}
    kinds_of: dict[str, list[str]] = {}
    for gap in gaps:
        if gap.product in H:
            first_gap.setdefault(gap.product, gap)
            if gap.kind not in kinds_of.setdefault(gap.product, []):
                kinds_of[gap.product].append(gap.kind)

    columns = _columns(H)
    label_of = {code: wrap_name(names.get(code) or (H.nodes[code]["product"].name_fa if fa
                                                    else H.nodes[code]["product"].name_en)) for code in H}
    n_lines = max((len(lines) for lines in label_of.values()), default=1)
    NODE_H = 12 + n_lines * LINE_H + 20  # noqa: N806 (a layout constant of this drawing)
    kinds_shown = [k for k in KINDS if any(k in ks for ks in kinds_of.values())]
    per_band = max(1, (max_width - 2 * SIDE + COL_GAP) // (NODE_W + COL_GAP))
    bands = [columns[i: i + per_band] for i in range(0, len(columns), per_band)] or [[]]
    shown_cols = min(per_band, len(columns))
    width = max(2 * SIDE + shown_cols * NODE_W + max(0, shown_cols - 1) * COL_GAP, 420)
    band_top: list[float] = []
    top = float(HEADER + 24)  # room above the first band for arrows coming back to it
    for band in bands:
        band_top.append(top)
        rows = max((len(members) for _, members in band), default=1)
        top += rows * NODE_H + (rows - 1) * ROW_GAP + BAND_GAP
    body_end = top - BAND_GAP
    height = body_end + MARGIN + (len(kinds_shown) + 2) * LEGEND_ROW + MARGIN

    def x_of(col: int) -> float:
        x = SIDE + (col % per_band) * (NODE_W + COL_GAP)
        return width - x - NODE_W if fa else x

    pos: dict[str, tuple[float, float]] = {}
    column_of: dict[str, int] = {}
    for c, (_, members) in enumerate(columns):
        for r, code in enumerate(members):
            pos[code] = (x_of(c), band_top[c // per_band] + r * (NODE_H + ROW_GAP))
            column_of[code] = c

    title = chain_name or chain_slug
    if fa:  # a chain's Persian name usually says «زنجیره …» itself: «زنجیرهٔ ارزش زنجیره مس» says it twice
        title_text = title if title.startswith("زنجیره") else f"زنجیرهٔ ارزش {title}"
    else:
        title_text = f"Value chain: {title}"
    desc = (_digits(f"{len(H)} محصول، {H.number_of_edges()} پیوند، {len(first_gap)} محصول با شکاف", fa) if fa
            else f"{len(H)} products, {H.number_of_edges()} links, {len(first_gap)} products with gaps")
    tid, did = f"chain-{_attr(chain_slug)}-title", f"chain-{_attr(chain_slug)}-desc"
    anchor_start = "start"  # with direction="rtl", "start" is the right-hand end
    direction = ' direction="rtl"' if fa else ""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chain-svg" role="img" lang="{_attr(lang)}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-labelledby="{tid} {did}" font-family="{_attr(FONT)}" font-size="13">',
        f'<title id="{tid}">{escape(title_text)}</title>',
        f'<desc id="{did}">{escape(desc)}</desc>',
        '<defs><marker id="chain-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b6b6b"/></marker></defs>',
    ]
    title_x = width - MARGIN if fa else MARGIN
    out.append(f'<text x="{title_x:.0f}" y="{MARGIN + 8}" font-size="16" font-weight="bold" '
               f'text-anchor="{anchor_start}"{direction}>{escape(title_text)}</text>')
    # Each band names the stages of its columns, above the first column of each.
    for c, (stage, _) in enumerate(columns):
        if c % per_band and columns[c - 1][0] == stage:
            continue
        x = x_of(c) + NODE_W / 2
        out.append(f'<text class="stage" x="{x:.0f}" y="{band_top[c // per_band] - 12:.0f}" text-anchor="middle" '
                   f'fill="#555"{direction}>{escape(STAGE_LABELS[stage][pick])}</text>')

    out.append('<g class="nodes">')
    for code in sorted(pos):
        x, y = pos[code]
        product = H.nodes[code]["product"]
        name = names.get(code) or (product.name_fa if fa else product.name_en)
        gap = first_gap.get(code)
        fill, stroke = KIND_COLOURS[gap.kind] if gap else _PLAIN
        tooltip = f"{name} (\u2066{_digits(code, fa)}\u2069)"
        if gap:
            tooltip += f" — {KIND_LABELS[gap.kind][pick]}: {gap.reason(lang)}"
        kind_class = f" gap-{gap.kind}" if gap else ""
        out.append(f'<g class="product{kind_class}" data-code="{_attr(code)}"><title>{escape(tooltip)}</title>')
        out.append(f'<rect class="node" x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" height="{NODE_H}" rx="9" '
                   f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if gap else 1}"/>')
        cx = x + NODE_W / 2
        lines = label_of[code]
        for i, line in enumerate(lines):
            out.append(f'<text x="{cx:.0f}" y="{y + 4 + LINE_H * (i + 1):.0f}" text-anchor="middle"{direction}>'
                       f'{escape(line)}</text>')
        code_y = y + NODE_H - 8
        out.append(f'<text x="{cx:.0f}" y="{code_y:.0f}" text-anchor="middle" font-size="11" fill="#444" '
                   f'direction="ltr">{escape(_digits(code, fa))}</text>')
        # One mark per gap kind in the bottom corner where the reading starts, clear of the name and code.
        for k, kind in enumerate(kinds_of.get(code, [])):
            dx = 12 + 14 * k
            bx = x + NODE_W - dx if fa else x + dx
            out.append(f'<g class="badge">{_mark(KIND_SHAPES[kind], bx, code_y - 4, KIND_COLOURS[kind][1])}'
                       f'<title>{escape(KIND_LABELS[kind][pick])}</title></g>')
        out.append("</g>")
    out.append("</g>")

    # Edges after the boxes: an arrow crossing a box is drawn over it, never hidden behind it.
    out.append('<g class="edges" fill="none" stroke="#5f5f5f" stroke-width="1.3" stroke-opacity="0.85">')
    sign = -1 if fa else 1  # the reading direction along x
    lane = 0
    for s, u in sorted(H.edges):
        (xs, ys), (xu, yu) = pos[s], pos[u]
        y1, y2 = ys + NODE_H / 2, yu + NODE_H / 2
        x1 = xs if fa else xs + NODE_W  # leaves the end side of the supplier
        x2 = xu + NODE_W if fa else xu  # enters the start side of the user
        cs, cu = column_of[s], column_of[u]
        if cs // per_band == cu // per_band and cu > cs:
            bend = max(30.0, abs(x2 - x1) / 2) * sign
            out.append(f'<path d="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
                       f'{x2:.1f},{y2:.1f}" marker-end="url(#chain-arrow)"/>')
            continue
        # Another band, or back to an earlier column: out into the gap after the supplier's column, along
        # it to the gap above the user's band, across to the gap before the user's column, and in.
        offset = 4 * (lane % 5)
        lane += 1
        gx1 = x1 + sign * (COL_GAP / 2 - 8 + offset)
        gx2 = x2 - sign * (COL_GAP / 2 - 8 + offset)
        gy = band_top[cu // per_band] - 52 + offset
        out.append(f'<path d="M{x1:.1f},{y1:.1f} H{gx1:.1f} V{gy:.1f} H{gx2:.1f} V{y2:.1f} H{x2:.1f}" '
                   'marker-end="url(#chain-arrow)"/>')
    out.append("</g>")

    y = body_end + MARGIN
    out.append('<g class="legend">')
    legend = [(k, *KIND_COLOURS[k], KIND_LABELS[k][pick] + (" (رنگ کادر و نشانه)" if fa else " (box colour and mark)"))
              for k in kinds_shown]
    legend.append(("none", *_PLAIN, "بدون شکاف" if fa else "No gap"))
    legend.append(("arrow", "", "", "پیکان: از تأمین‌کننده به مصرف‌کننده" if fa else "Arrow: from supplier to user"))
    for r, (kind, fill, stroke, label) in enumerate(legend):
        yy = y + r * LEGEND_ROW
        sx = width - MARGIN - 18 if fa else MARGIN
        tx = sx - 24 if fa else sx + 42
        if kind == "arrow":
            x1, x2 = (sx + 18, sx - 4) if fa else (sx, sx + 34)
            out.append(f'<path d="M{x1:.0f},{yy + 7:.0f} L{x2:.0f},{yy + 7:.0f}" stroke="#5f5f5f" stroke-width="1.3" '
                       'marker-end="url(#chain-arrow)"/>')
        else:
            out.append(f'<rect x="{sx:.0f}" y="{yy:.0f}" width="18" height="14" rx="3" fill="{fill}" '
                       f'stroke="{stroke}" stroke-width="1.5"/>')
            if kind in KIND_SHAPES:
                out.append(_mark(KIND_SHAPES[kind], sx - 10 if fa else sx + 30, yy + 7, KIND_COLOURS[kind][1]))
        out.append(f'<text x="{tx:.0f}" y="{yy + 12:.0f}" text-anchor="{anchor_start}"{direction}>'
                   f"{escape(label)}</text>")
    out.append("</g></svg>")
    return "\n".join(out)
