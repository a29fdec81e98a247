"""Text linking: an applicant's free text → the product codes it names, and HS-prefix expansion.

The desk shows the result as "we understood: فرش دستباف (5701), نخ پشمی (5106)" and lets the
clerk correct it before matching; the stored profile keeps product codes.

:class:`ProductLinker` is fitted once on all products (with the match index, or alone for the
intake form's suggestions) and answers

* :meth:`ProductLinker.link` — ranked :class:`LinkedProduct` ``(code, score, words)`` for a text;
* :meth:`ProductLinker.expand` — an HS code or prefix to the known codes under it (``0806`` → its
  six-digit children);
* :meth:`ProductLinker.resolve` — one intake entry (a code, a prefix or a name in either language)
  to codes, for "accept products by name or by any HS prefix".

How a text is scored
--------------------
Every product has *fields*: its Persian name, its English name, each of its ``aliases`` (the
bilingual aliases and keywords agencies maintain; ``Product.aliases`` when the record has it) and
its HS description (:func:`chains.nomenclature.hs_description`, weight :data:`HS_WEIGHT`). A field
is a set of content terms (:func:`matching.normalize.terms`: stop words out, light stems), each
weighted by its inverse document frequency over all fields and normalised so a field's weights sum
to one. The applicant's terms, widened by the small built-in thesaurus :data:`THESAURUS` (craft and
trade words: قالی = فرش, شیرینی‌پزی = قنادی = confectionery …), select rows of a sparse
(terms × fields) matrix; a field's score is the weight share of its terms the applicant used, and a
product's score the best of its fields. So ``score`` reads as "how much of the product's name the
applicant said": 1 when every word of one of its names or aliases was said, ½ when the more
specific half was. Linking one profile against 40,000 products is a few sparse-row sums
(bench/bench_matching.py measures it; target ≤ 50 ms).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from chains.nomenclature import hs_description, normalize_code
from chains.records import Product

from .normalize import normalize_text, term_key, terms

__all__ = ["THESAURUS", "THESAURUS_WEIGHT", "HS_WEIGHT", "MIN_LINK_SCORE", "LinkedProduct", "ProductLinker", "widen"]

#: Weight of the HS nomenclature description relative to a product's own names and aliases.
HS_WEIGHT = 0.7
#: Share of a word's weight when it matches only through :data:`THESAURUS`.
THESAURUS_WEIGHT = 0.8
#: Links scoring below this are not returned by default (half of a two-word name said is 0.5).
MIN_LINK_SCORE = 0.34

#: Groups of words that name the same craft, trade or product family, in both languages. A query
#: term in a group also matches every other term of the group. Product aliases maintained by the
#: agencies are the main route; this list only covers the everyday words a walk-in uses for the
#: activity (قالی‌بافی) rather than the product (فرش).
THESAURUS: tuple[tuple[str, ...], ...] = (
    ("فرش", "قالی", "قالیبافی", "فرشبافی", "قالیچه", "carpet", "rug", "carpetweaving"),
    ("گلیم", "ورنی", "جاجیم", "گلیمبافی", "kilim", "verneh"),
    ("شیرینی", "شیرینیپزی", "قنادی", "قناد", "کیک", "confectionery", "confectioner", "pastry", "sweets", "cake"),
    ("نان", "نانوایی", "bread", "bakery", "baker"),
    ("دام", "دامداری", "دامدار", "گاوداری", "livestock", "cattle", "herder"),
    ("لبنیات", "لبنی", "dairy"),
    ("عسل", "زنبورداری", "زنبوردار", "honey", "beekeeping", "beekeeper"),
    ("موم", "wax", "beeswax"),
    ("کفش", "کفاشی", "کفشدوزی", "کفشدوز", "shoe", "footwear", "shoemaking", "shoemaker"),
    ("چرم", "چرمی", "چرمسازی", "دباغی", "leather", "tanning", "tannery"),
    ("پوشاک", "لباس", "خیاطی", "دوخت", "دوزندگی", "clothing", "garment", "apparel", "sewing", "tailoring"),
    ("قطعه", "قطعات", "قطعهسازی", "قطعهساز", "part", "parts"),
    ("خودرو", "خودرویی", "automotive", "car", "vehicle"),
    ("ریختهگری", "ریختهگر", "foundry", "casting"),
    ("آزمایشگاه", "آزمون", "آزمایش", "laboratory", "lab", "testing"),
    ("کیفیت", "quality"),
    ("الکترونیک", "الکترونیکی", "electronics", "electronic"),
    ("نرمافزار", "برنامهنویسی", "software", "programming"),
    ("میوه", "fruit"),
    ("خشکبار", "آجیل", "nuts", "nut"),
    ("خشککن", "خشککردن", "dryer", "drying"),
    ("پشم", "wool"),
    ("نخ", "ریسندگی", "yarn", "spinning"),
    ("سنگ", "سنگبری", "stone", "stonecutting", "marble", "travertine", "مرمر", "تراورتن"),
    ("حمل", "لجستیک", "logistics", "freight", "transport"),
    ("صابون", "soap"),
    ("آرایشی", "cosmetics", "cosmetic"),
    ("گیاهان", "دارویی", "دمنوش", "عرقیات", "medicinal", "herbal", "herb", "herbs"),
    ("سردخانه", "انبار", "cold", "storage", "warehouse"),
    ("بستهبندی", "packaging", "packing"),
)


def _thesaurus_index(groups) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in groups:
        keys = {term_key(w) for w in group} - {""}
        for k in keys:
            out.setdefault(k, set()).update(keys)
    return {k: frozenset(v) for k, v in out.items()}


_THESAURUS = _thesaurus_index(THESAURUS)


def widen(keys: Iterable[str]) -> dict[str, str]:
    """Each term key and its thesaurus neighbours → the key the applicant actually used."""
    out: dict[str, str] = {}
    for k in keys:
        out.setdefault(k, k)
    for k in list(out):
        for other in _THESAURUS.get(k, ()):
            out.setdefault(other, k)
    return out


@dataclass(frozen=True)
class LinkedProduct:
    """A product the applicant's text names: its code, a score in (0, 1] and the applicant's own words."""

    code: str
    score: float
    words: tuple[str, ...] = ()


class ProductLinker:
    """Products by name, alias and HS description, ready to link free text to codes.

    Parameters
    ----------
    hs_descriptions : bool, default=True
        Also index each HS code's English nomenclature description (weight :data:`HS_WEIGHT`).

    Examples
    --------
    >>> linker = ProductLinker().fit([Product("5701", "فرش دستباف", "Hand-knotted carpets", "textiles", "final"),
    ...                               Product("0406", "پنیر", "Cheese", "food", "intermediate")])
    >>> [(x.code, round(x.score, 2), x.words) for x in linker.link("قالی بافی در خانه")]
    [('5701', 0.4, ('قالی',))]
    """

    def __init__(self, *, hs_descriptions: bool = True):
        self.hs_descriptions = hs_descriptions

    def fit(self, products: Iterable[Product] | Mapping[str, Product]) -> ProductLinker:
        products = list(products.values()) if isinstance(products, Mapping) else list(products)
        self.codes_ = np.array([p.code for p in products], dtype=object)
        self.code_index_ = {p.code: i for i, p in enumerate(products)}
        self.products_ = {p.code: p for p in products}
        vocab: dict[str, int] = {}
        f_terms: list[list[int]] = []
        f_product: list[int] = []
        f_weight: list[float] = []
        for i, p in enumerate(products):
            fields = [(p.name_fa, 1.0), (p.name_en, 1.0)] + [(a, 1.0) for a in getattr(p, "aliases", ()) or ()]
            if self.hs_descriptions and p.nomenclature == "hs":
                desc = hs_description(p.code)
                if desc:
                    fields.append((desc, HS_WEIGHT))
            for text, weight in fields:
                keys = list(dict.fromkeys(terms(text)))
                if keys:
                    f_terms.append([vocab.setdefault(k, len(vocab)) for k in keys])
                    f_product.append(i)
                    f_weight.append(weight)
        n_fields = len(f_terms)
        self.vocabulary_ = vocab
        df = np.zeros(len(vocab), dtype=np.float64)
        for ts in f_terms:
            df[ts] += 1
        idf = np.log1p(max(n_fields, 1) / np.maximum(df, 1))
        rows, cols, vals = [], [], []
        for f, ts in enumerate(f_terms):
            w = idf[ts]
            w = w / w.sum() * f_weight[f]
            rows.extend(ts)
            cols.extend([f] * len(ts))
            vals.extend(w.tolist())
        self.weights_ = sp.csr_matrix((np.array(vals, np.float32), (rows, cols)), shape=(len(vocab), n_fields))
        self.field_product_ = np.array(f_product, dtype=np.int64)
        order = np.argsort(self.codes_.astype(str), kind="stable")
        self._sorted_codes = self.codes_[order].astype(str)
        self._code_rank = np.empty(len(order), dtype=np.int64)  # position of each product in code order
        self._code_rank[order] = np.arange(len(order))
        return self

    # ------------------------------------------------------------ queries
    def scores(self, text: str) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
        """Products with a non-zero score for ``text``: (product rows, scores, widened key → used key)."""
        used = widen(dict.fromkeys(terms(text)))
        rows = [self.vocabulary_[k] for k in used if k in self.vocabulary_]
        if not rows:
            return np.empty(0, np.int64), np.empty(0, np.float32), used
        W = self.weights_
        keys = [k for k in used if k in self.vocabulary_]
        fields = np.concatenate([W.indices[W.indptr[r]:W.indptr[r + 1]] for r in rows])
        # A word matched only through the thesaurus counts THESAURUS_WEIGHT of the applicant's own word.
        vals = np.concatenate([W.data[W.indptr[r]:W.indptr[r + 1]] * (1.0 if used[k] == k else THESAURUS_WEIGHT)
                               for r, k in zip(rows, keys, strict=True)])
        uf, inv = np.unique(fields, return_inverse=True)
        fscore = np.bincount(inv, weights=vals).astype(np.float32)
        prod = self.field_product_[uf]
        order = np.lexsort((-fscore, prod))
        prod, fscore = prod[order], fscore[order]
        first = np.ones(len(prod), dtype=bool)
        first[1:] = prod[1:] != prod[:-1]
        return prod[first], np.minimum(fscore[first], 1.0), used

    def link(self, text: str, k: int = 10, min_score: float = MIN_LINK_SCORE) -> tuple[LinkedProduct, ...]:
        """The products ``text`` names, best first (ties by code), each with the applicant's words.

        Parameters
        ----------
        text : str
            Skills, current activities and what the applicant wants to do, in any spelling.
        k : int
            At most this many products.
        min_score : float
            Drop weaker links (see :data:`MIN_LINK_SCORE`).
        """
        rows, s, order, used = self._top(text, k, min_score)
        if not len(order):
            return ()
        surface = _surface_words(text)
        out = []
        for j in order.tolist():
            p = self.products_[self.codes_[rows[j]]]
            names = [p.name_fa, p.name_en, *(getattr(p, "aliases", ()) or ())]
            if self.hs_descriptions and p.nomenclature == "hs":
                names.append(hs_description(p.code) or "")
            mine = {used[t] for t in {t for n in names for t in terms(n)} if t in used}
            words = tuple(dict.fromkeys(w for key, w in surface if key in mine))
            out.append(LinkedProduct(str(self.codes_[rows[j]]), round(float(s[j]), 4), words))
        return tuple(out)

    def _top(self, text: str, k: int, min_score: float):
        rows, s, used = self.scores(text)
        keep = s >= min_score
        rows, s = rows[keep], s[keep]
        if len(rows) > k:  # only the candidates tied with or above the k-th best need the full sort
            kth = np.partition(-s, k - 1)[k - 1]
            top = np.flatnonzero(-s <= kth)
            rows, s = rows[top], s[top]
        order = np.lexsort((self._code_rank[rows], -s))[:k] if len(rows) else np.empty(0, np.int64)
        return rows, s, order, used

    def weights(self, text: str, k: int = 10, min_score: float = MIN_LINK_SCORE) -> dict[str, float]:
        """The codes and scores :meth:`link` returns, without the applicant's words (what ranking needs)."""
        rows, s, order, _ = self._top(text, k, min_score)
        return {str(self.codes_[rows[j]]): round(float(s[j]), 4) for j in order.tolist()}

    def expand(self, code: str) -> tuple[str, ...]:
        """Known codes equal to or under an HS code or prefix (``"0806"`` → ``("080610", "080620")``).

        The code is normalised first (``"08.06"``, Persian digits). A code that is itself a known
        product comes first; unknown prefixes give ``()``.
        """
        code = normalize_code(code)
        if not code:
            return ()
        lo = np.searchsorted(self._sorted_codes, code, side="left")
        hi = np.searchsorted(self._sorted_codes, code + "\uffff", side="left")
        under = [c for c in self._sorted_codes[lo:hi].tolist() if c != code]
        return ((code,) if code in self.code_index_ else ()) + tuple(under)

    def resolve(self, entry: str, k: int = 10) -> tuple[str, ...]:
        """One intake entry → product codes: a code or HS prefix (expanded), else a name in either language.

        For a name, the products whose name or alias the entry says fully (score 1) are returned, or the
        best links when none does.
        """
        entry = (entry or "").strip()
        digits = normalize_code(entry)
        if digits and digits.isdigit():
            return self.expand(digits)
        links = self.link(entry, k=k)
        full = tuple(x.code for x in links if x.score >= 0.999)
        return full or tuple(x.code for x in links)


def _surface_words(text: str) -> list[tuple[str, str]]:
    """(term key, the applicant's own word) for each meaningful word of ``text``."""
    out = []
    for raw in (text or "").replace("\u060c", " ").split():
        word = raw.strip(".,;:()[]«»\"'!?؛،-")
        key = term_key(word)
        if key and not normalize_text(word).isdigit():
            out.append((key, word))
    return out
