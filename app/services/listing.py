"""The published opportunities, held in memory per data version, and the one rule that finds them for a filter
set: the opportunity list's page and total, and the API's list.

Why in memory: at national scale (100,000 opportunities) PostgreSQL answers a word search with a trigram
bitmap scan whose every candidate row it must read again and re-check (the index is lossy), 10–50 ms for a
common word or a chain of thousands of products, and it must do so twice, for the page and for its total. The
list is the busiest page of the site and reads data that changes a few times a day, so each process keeps a
compact copy of what the filters read, rebuilt when the data version changes (``services.versions``: every
write to an opportunity, product, chain, county or sector bumps it):

* per opportunity, in the list's order (newest published first, then the higher id, as the database sorts
  ``published_at DESC, id DESC``): its id, county, product, product's sector, investment range and the
  applicant types it suits, as numpy arrays;
* the words of its search text and its reference (both search-folded), as an inverted index: the distinct
  words, and for each the positions of the opportunities that hold it.

The text rule is the one the list always had: every word of the folded query occurs somewhere (as a
substring) in the opportunity's folded search text or its reference. A query word holds no white space, so
an occurrence lies inside one white-space separated word of the text: finding the distinct words that
contain the query word, then the opportunities that hold one of them, is exact, not an approximation
(tests/app/test_listing.py checks it against a plain scan of the texts). The rest of the filters are
comparisons of the arrays. Nothing per request reads the database but the one page of rows it shows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from matching.normalize import fold

from .records import APPLICANT_TYPES

#: numpy's int64 range: the stored investments are BigInteger, so a bound outside it compares like its end.
_INT64 = np.iinfo(np.int64)
#: Query words whose matching vocabulary words are kept per listing (each a small array); cleared when full.
WORD_CACHE_SIZE = 4096
#: Results kept for query words found inside many distinct words (12.5 KB each at 100,000 opportunities).
COMMON_CACHE_SIZE = 512


@dataclass(frozen=True)
class ListingSource:
    """What :meth:`Listing.build` reads: plain values, so the listing is built and tested without the ORM."""

    #: (id, county_id, product_id, investment_min, investment_max, suited_mask, search_text, ref) per
    #: published opportunity, in the list's order.
    rows: list[tuple]
    product_sector: dict[int, int]  # product id → sector id
    chain_products: dict[str, set[int]]  # chain slug → product ids
    county_ids: dict[str, int]  # county slug → id
    sector_ids: dict[str, int]  # sector slug → id


class Listing:
    """The published opportunities of one data version and the filters over them."""

    def __init__(self, source: ListingSource):
        rows = source.rows
        n = len(rows)
        self.ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        self.county = np.fromiter((r[1] for r in rows), dtype=np.int64, count=n)
        self.product = np.fromiter((r[2] for r in rows), dtype=np.int64, count=n)
        self.investment_min = np.fromiter((r[3] for r in rows), dtype=np.int64, count=n)
        self.investment_max = np.fromiter((r[4] for r in rows), dtype=np.int64, count=n)
        self.suited = np.fromiter((r[5] or 0 for r in rows), dtype=np.int64, count=n)
        self.sector = np.fromiter((source.product_sector.get(r[2], -1) for r in rows), dtype=np.int64, count=n)
        self._chain_products = {slug: np.fromiter(ids, dtype=np.int64, count=len(ids))
                                for slug, ids in source.chain_products.items()}
        self._county_ids = dict(source.county_ids)
        self._sector_ids = dict(source.sector_ids)
        self._chain_masks: dict[str, np.ndarray] = {}
        self._words: dict[str, np.ndarray] = {}
        self._common: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._index_words(rows)

    def __len__(self) -> int:
        return len(self.ids)

    # ------------------------------------------------------------ the words
    def _index_words(self, rows) -> None:
        vocabulary: dict[str, int] = {}
        occ_word: list[int] = []
        occ_row: list[int] = []
        for position, r in enumerate(rows):
            words = set((r[6] or "").split())
            words.update((r[7] or "").lower().split())  # the reference, matched case-blind
            for w in words:
                j = vocabulary.setdefault(w, len(vocabulary))
                occ_word.append(j)
                occ_row.append(position)
        words_of = np.asarray(occ_word, dtype=np.int32)
        rows_of = np.asarray(occ_row, dtype=np.int32)
        order = np.argsort(words_of, kind="stable")  # grouped by word, each group in the list's order
        self._occ_word = words_of  # per occurrence, for queries that match a large part of the vocabulary
        self._occ_row = rows_of
        self._postings = rows_of[order]
        self._offsets = np.searchsorted(words_of[order], np.arange(len(vocabulary) + 1, dtype=np.int32))
        self._vocabulary = list(vocabulary)
        # The distinct words joined by a newline (no word holds white space): one str.find pass finds every
        # word that contains a query word, and each hit's offset tells which word it is.
        self._joined = "\n".join(self._vocabulary)
        lengths = np.fromiter((len(w) + 1 for w in self._vocabulary), dtype=np.int64, count=len(self._vocabulary))
        self._starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else np.zeros(0, np.int64)

    def _words_containing(self, word: str) -> np.ndarray:
        """Indices of the distinct words that contain ``word``."""
        cached = self._words.get(word)
        if cached is not None:
            return cached
        hits: list[int] = []
        find, limit = self._joined.find, len(self._vocabulary) // 4 + 16
        at = find(word)
        while at != -1 and len(hits) < limit:
            hits.append(at)
            at = find(word, at + 1)
        if at == -1:
            found = np.unique(np.searchsorted(self._starts, np.asarray(hits, dtype=np.int64), side="right") - 1)
        else:  # a short, common word: test each distinct word once instead
            found = np.flatnonzero(np.fromiter((word in w for w in self._vocabulary), dtype=bool,
                                               count=len(self._vocabulary)))
        with self._lock:
            if len(self._words) >= WORD_CACHE_SIZE:
                self._words.clear()
            self._words[word] = found
        return found

    def _word_mask(self, word: str) -> np.ndarray:
        found = self._words_containing(word)
        if len(found) <= 64:
            mask = np.zeros(len(self.ids), dtype=bool)
            for j in found:
                mask[self._postings[self._offsets[j]:self._offsets[j + 1]]] = True
            return mask
        # A word inside many distinct words (a letter, a common stem): gathering its occurrences costs a few
        # milliseconds, so its result is kept, one bit per opportunity.
        packed = self._common.get(word)
        if packed is None:
            chosen = np.zeros(len(self._vocabulary), dtype=bool)
            chosen[found] = True
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[self._occ_row[chosen[self._occ_word]]] = True
            packed = np.packbits(mask)
            with self._lock:
                if len(self._common) >= COMMON_CACHE_SIZE:
                    self._common.clear()
                self._common[word] = packed
        return np.unpackbits(packed, count=len(self.ids)).astype(bool)

    def _chain_mask(self, slug: str) -> np.ndarray:
        mask = self._chain_masks.get(slug)
        if mask is None:
            products = self._chain_products.get(slug)
            mask = np.isin(self.product, products) if products is not None else np.zeros(len(self.ids), bool)
            with self._lock:
                self._chain_masks[slug] = mask
        return mask

    # ------------------------------------------------------------ the rule
    def positions(self, f) -> np.ndarray:
        """Positions (in the list's order) of the opportunities that ``f`` (an ``OpportunityFilters``) finds."""
        mask = np.ones(len(self.ids), dtype=bool)
        if f.chain:
            mask &= self._chain_mask(f.chain)
        if f.sector:
            mask &= self.sector == self._sector_ids.get(f.sector, -2)
        if f.county:
            mask &= self.county == self._county_ids.get(f.county, -2)
        # Investment range: the opportunity's range overlaps the asked range.
        if f.min_rials is not None:
            mask &= self.investment_max >= min(max(f.min_rials, _INT64.min), _INT64.max)
        if f.max_rials is not None:
            mask &= self.investment_min <= min(max(f.max_rials, _INT64.min), _INT64.max)
        if f.applicant_type:
            mask &= (self.suited & (1 << APPLICANT_TYPES.index(f.applicant_type))) != 0
        for word in dict.fromkeys(fold(f.q).split()):  # a word said twice is one condition
            if not mask.any():
                break
            mask &= self._word_mask(word)
        return np.flatnonzero(mask)

    def count(self, f) -> int:
        return int(len(self.positions(f)))

    def page_ids(self, f, offset: int, limit: int, by_id: bool = False) -> list[int]:
        """The ids of one page: in the list's order, or (``by_id``, the API's order) by ascending id."""
        found = self.ids[self.positions(f)]
        if by_id:
            found = np.sort(found)
        return [int(i) for i in found[offset:offset + limit]]
