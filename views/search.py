"""Find indicators by words: a ranked search over the indicator metadata.

Build an ``IndicatorIndex`` once per store release (``build_index``: a few tens of
milliseconds for 1,179 indicators), then ``search(index, "placement stability")`` answers in
well under a millisecond. Pure apart from ``load_synonyms``, which reads the synonym list kept
as data beside this module (``search_synonyms.toml``).

How a record scores (``docs/methods.md``, section 19):

* **Words.** Text is lower-cased, accents and punctuation dropped, ``10,000`` read as
  ``10000`` and ``%`` as "percent", and plurals made singular ("placements" -> "placement",
  "enquiries" -> "enquiry", "children" -> "child"). Synonym phrases ("looked after",
  "children looked after", "CLA", "LAC") become one term, so each matches the others.
  Common words ("of", "the", "per"...) are ignored in a query.
* **Fields.** A word found in the title (weight 3) or short title (2.5) counts more than in
  the topic (1.5) or the description, source code or id (1); within a field a shorter text
  counts more (BM25's length normalisation, presence only), and a rarer word more (BM25's
  inverse document frequency). A word scores the best of its fields.
* **Bonuses.** A record holding every word of the query gets ``10 x`` the sum of the words'
  rarities (so it always ranks above one that lacks a word); the query's words in the same
  order, side by side, in the title or short title add ``2 x`` that sum (``0.5 x`` in
  another field).
* **Order.** Best score first; ties by title (case-insensitive), then ``indicator_id``.
* **Typing.** The last word of the query, when it is no whole word of any record and has at
  least 3 letters, also matches the words it begins ("placem" finds "placement"), at 0.8 of
  the score.
* **Empty query** (or only common words): no results. The catalogue, in its own order, is
  the caller's to show; a search never returns "everything".
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "FIELD_WEIGHTS",
    "SYNONYMS_FILE",
    "IndicatorIndex",
    "SearchHit",
    "Synonyms",
    "build_index",
    "load_synonyms",
    "search",
    "tokenise",
]

SYNONYMS_FILE = Path(__file__).with_name("search_synonyms.toml")

#: Metadata fields searched, with their weights.
FIELD_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "title": 3.0,
        "short_title": 2.5,
        "topic": 1.5,
        "description": 1.0,
        "source_code": 1.0,
        "indicator_id": 1.0,
    }
)
_HEADLINE_FIELDS = ("title", "short_title")
_K1, _B = 1.2, 0.5
ALL_WORDS_BONUS = 10.0
HEADLINE_PHRASE_BONUS = 2.0
OTHER_PHRASE_BONUS = 0.5
PREFIX_DISCOUNT = 0.8
MIN_PREFIX = 3

_STOPWORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "during", "for", "from", "in",
        "into", "is", "it", "its", "of", "on", "or", "per", "the", "their", "to", "was",
        "were", "which", "who", "with",
    }
)  # fmt: skip
_IRREGULAR = MappingProxyType(
    {"children": "child", "childrens": "child", "people": "person", "maths": "math"}
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_SYNONYM_MARK = "~"


def tokenise(text: str | None, *, memo: dict[str, str] | None = None) -> list[str]:
    """Lower-case, accent-free, singular word tokens of ``text`` (empty for None).

    ``memo`` may pass a dict that remembers each word's singular across calls (faster
    when tokenising many texts).

    Examples:
        >>> tokenise("Children's placements: 10,000 (%)")
        ['child', 'placement', '10000', 'percent']
    """
    if not text:
        return []
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    plain = _THOUSANDS.sub("", plain.lower().replace("%", " percent ")).replace("'", "")
    words = _TOKEN.findall(plain)
    if memo is None:
        return [_singular(w) for w in words]
    out = []
    for word in words:
        singular = memo.get(word)
        if singular is None:
            singular = memo[word] = _singular(word)
        out.append(singular)
    return out


def _singular(token: str) -> str:
    if token in _IRREGULAR:
        return _IRREGULAR[token]
    if len(token) > 4 and token.endswith("ies"):
        token = token[:-3] + "y"
    elif len(token) > 4 and token.endswith(("sses", "xes", "ches", "shes")):
        token = token[:-2]
    elif len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    return _IRREGULAR.get(token, token)


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Synonym groups as token phrases: phrase (tuple of tokens) -> the group's one term.

    ``sizes`` maps a phrase's first token to the lengths of the phrases it starts, longest
    first, so a text is scanned only where a phrase may begin.
    """

    phrases: Mapping[tuple[str, ...], str]
    sizes: Mapping[str, tuple[int, ...]]

    @classmethod
    def from_groups(cls, groups: Iterable[Sequence[str]]) -> Synonyms:
        """Build from groups of terms; ``ValueError`` if a term is empty or in two groups."""
        phrases: dict[tuple[str, ...], str] = {}
        for group in groups:
            tokens = [tuple(tokenise(term)) for term in group]
            if not tokens or any(not t for t in tokens):
                raise ValueError(f"synonym group {list(group)!r} has an empty term")
            canonical = _SYNONYM_MARK + "_".join(tokens[0])
            for phrase in tokens:
                if phrases.get(phrase, canonical) != canonical:
                    raise ValueError(f"synonym term {' '.join(phrase)!r} is in two groups")
                phrases[phrase] = canonical
        sizes: dict[str, set[int]] = defaultdict(set)
        for phrase in phrases:
            sizes[phrase[0]].add(len(phrase))
        return cls(
            phrases=MappingProxyType(phrases),
            sizes=MappingProxyType({k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()}),
        )

    def _matches(self, tokens: Sequence[str], i: int) -> Iterable[tuple[int, str]]:
        """(size, group term) of each phrase starting at ``tokens[i]``, longest first."""
        for size in self.sizes.get(tokens[i], ()):
            term = self.phrases.get(tuple(tokens[i : i + size]))
            if term is not None:
                yield size, term

    def replace(self, tokens: Sequence[str]) -> list[str]:
        """Tokens with each synonym phrase (longest first, left to right) as its group term."""
        out, i = [], 0
        while i < len(tokens):
            size, term = next(iter(self._matches(tokens, i)), (1, tokens[i]))
            out.append(term)
            i += size
        return out

    def all_terms(self, tokens: Sequence[str]) -> set[str]:
        """The tokens plus the group term of every synonym phrase anywhere in them."""
        found = set(tokens)
        for i in range(len(tokens)):
            found.update(term for _, term in self._matches(tokens, i))
        return found


def load_synonyms(path: Path = SYNONYMS_FILE) -> Synonyms:
    """Read synonym groups from a TOML file of ``[[group]] terms = [...]`` tables."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    groups = data.get("group", [])
    if not isinstance(groups, list) or not all(
        isinstance(g, dict) and isinstance(g.get("terms"), list) for g in groups
    ):
        raise ValueError(f"{path}: expected [[group]] tables each with a terms = [...] list")
    return Synonyms.from_groups([[str(t) for t in g["terms"]] for g in groups])


class SearchHit(NamedTuple):
    """One search result: the indicator, its title and its score (higher is better).

    ``all_words`` says whether it holds every word of the query (a filter keeps only those).
    """

    indicator_id: str
    title: str
    score: float
    all_words: bool = True


@dataclass(frozen=True, slots=True)
class _Posting:
    docs: npt.NDArray[np.intp]
    weight: npt.NDArray[np.float64]  # best field weight x length normalisation, per doc
    idf: float


@dataclass(frozen=True, slots=True)
class IndicatorIndex:
    """Everything a search needs, computed once from the indicator records (read-only)."""

    ids: tuple[str, ...]
    titles: tuple[str, ...]
    synonyms: Synonyms
    postings: Mapping[str, _Posting]
    vocabulary: tuple[str, ...]
    sequences: tuple[Mapping[str, tuple[str, ...]], ...]
    headline_pairs: Mapping[tuple[str, str], npt.NDArray[np.intp]]
    other_pairs: Mapping[tuple[str, str], npt.NDArray[np.intp]]
    tie_rank: npt.NDArray[np.intp]

    def search(self, query: str, *, limit: int | None = None) -> tuple[SearchHit, ...]:
        """``search(self, query, limit=limit)``."""
        return search(self, query, limit=limit)


def build_index(
    records: Iterable[Mapping[str, Any]], *, synonyms: Synonyms | None = None
) -> IndicatorIndex:
    """Index indicator metadata records for ``search`` (build once per store release).

    Args:
        records: One mapping per indicator with ``indicator_id`` and ``title`` and,
            optionally, ``short_title``, ``topic``, ``description``, ``source_code`` (None
            or NaN read as empty), e.g. ``store.indicators.to_dict("records")``. Their
            order is kept only for equal titles and ids (never, as ids are unique).
        synonyms: Synonym groups; default: ``load_synonyms()`` (reads the TOML file beside
            this module once).

    Returns:
        An immutable ``IndicatorIndex``.

    Raises:
        ValueError: If a record lacks ``indicator_id`` or ``title``, or an id repeats.

    Examples:
        >>> index = build_index([{"indicator_id": "a", "title": "Rate of children looked after"},
        ...                      {"indicator_id": "b", "title": "Placement stability"}])
        >>> [hit.indicator_id for hit in search(index, "LAC rate")]
        ['a']
    """
    synonyms = load_synonyms() if synonyms is None else synonyms
    rows = [dict(r) for r in records]
    ids: list[str] = []
    for i, row in enumerate(rows):
        if not _text(row.get("indicator_id")) or not _text(row.get("title")):
            raise ValueError(f"indicator record {i} lacks an indicator_id or a title")
        ids.append(_text(row["indicator_id"]))
    if len(set(ids)) != len(ids):
        raise ValueError("indicator records repeat an indicator_id")
    n = len(rows)
    memo: dict[str, str] = {}
    tokens = {f: [tokenise(_text(row.get(f)), memo=memo) for row in rows] for f in FIELD_WEIGHTS}
    best: dict[str, dict[int, float]] = defaultdict(dict)
    for field, weight in FIELD_WEIGHTS.items():
        lengths = np.array([len(t) for t in tokens[field]], dtype=float)
        filled = lengths[lengths > 0]
        average = float(filled.mean()) if len(filled) else 1.0
        norm = (_K1 + 1) / (1 + _K1 * (1 - _B + _B * lengths / average))
        for doc, words in enumerate(tokens[field]):
            score = weight * float(norm[doc])
            for term in synonyms.all_terms(words):
                if best[term].get(doc, 0.0) < score:
                    best[term][doc] = score
    postings = {
        term: _Posting(
            docs=np.fromiter(by_doc.keys(), dtype=np.intp, count=len(by_doc)),
            weight=np.fromiter(by_doc.values(), dtype=float, count=len(by_doc)),
            idf=math.log(1 + (n - len(by_doc) + 0.5) / (len(by_doc) + 0.5)),
        )
        for term, by_doc in best.items()
    }
    sequences = tuple(
        MappingProxyType(
            {f: tuple(synonyms.replace(tokens[f][doc])) for f in FIELD_WEIGHTS if tokens[f][doc]}
        )
        for doc in range(n)
    )
    titles = tuple(_text(row["title"]) for row in rows)
    order = sorted(range(n), key=lambda d: (titles[d].casefold(), ids[d]))
    tie_rank = np.empty(n, dtype=np.intp)
    tie_rank[order] = np.arange(n)
    tie_rank.flags.writeable = False
    return IndicatorIndex(
        ids=tuple(ids),
        titles=titles,
        synonyms=synonyms,
        postings=MappingProxyType(postings),
        vocabulary=tuple(sorted(t for t in postings if not t.startswith(_SYNONYM_MARK))),
        sequences=sequences,
        headline_pairs=_pairs(sequences, headline=True),
        other_pairs=_pairs(sequences, headline=False),
        tie_rank=tie_rank,
    )


def search(
    index: IndicatorIndex, query: str, *, limit: int | None = None
) -> tuple[SearchHit, ...]:
    """Indicators matching ``query``, best first (see the module docstring for the scoring).

    Args:
        index: From ``build_index``.
        query: Free text, e.g. ``"placement stability"`` or ``"cla rate"``.
        limit: Return at most this many hits (default: every record matching a word).

    Returns:
        A tuple of ``SearchHit``; empty for an empty query or one of only common words.

    Raises:
        ValueError: If ``limit`` is below 1.

    Examples:
        >>> index = build_index([
        ...     {"indicator_id": "x", "title": "Long term placement stability (%)"},
        ...     {"indicator_id": "y", "title": "Placements: children with 3 or more"}],
        ...     synonyms=Synonyms.from_groups([]))
        >>> [h.indicator_id for h in search(index, "placement stability")]
        ['x', 'y']
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be an integer >= 1 or None, not {limit!r}")
    sequence = index.synonyms.replace(tokenise(query))
    terms = list(dict.fromkeys(t for t in sequence if t not in _STOPWORDS))
    if not terms:
        return ()
    n = len(index.ids)
    score = np.zeros(n)
    matched = np.zeros(n, dtype=np.int64)
    rarity = 0.0
    for position, term in enumerate(terms):
        found = _term_scores(index, term, last=position == len(terms) - 1)
        if found is None:
            continue
        docs, contribution, idf = found
        score[docs] += contribution
        matched[docs] += 1
        rarity += idf
    every = np.flatnonzero(matched == len(terms))
    score[every] += ALL_WORDS_BONUS * rarity
    if len(sequence) > 1 and len(every):
        phrase = tuple(sequence)
        headline = _phrase_docs(index, phrase, every, headline=True)
        other = _phrase_docs(index, phrase, every, headline=False) & ~headline
        score[headline] += HEADLINE_PHRASE_BONUS * rarity
        score[other] += OTHER_PHRASE_BONUS * rarity
    hits = np.flatnonzero(matched > 0)
    order = hits[np.lexsort((index.tie_rank[hits], -score[hits]))]
    if limit is not None:
        order = order[:limit]
    ids, titles = index.ids, index.titles
    complete = (matched[order] == len(terms)).tolist()
    return tuple(
        SearchHit(ids[d], titles[d], value, every_word)
        for d, value, every_word in zip(
            order.tolist(), score[order].tolist(), complete, strict=True
        )
    )


def _term_scores(
    index: IndicatorIndex, term: str, *, last: bool
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64], float] | None:
    """(docs, score per doc, idf) of one query term; prefixes for an unknown last word."""
    posting = index.postings.get(term)
    if posting is not None:
        return posting.docs, posting.weight * posting.idf, posting.idf
    if not last or term.startswith(_SYNONYM_MARK) or len(term) < MIN_PREFIX:
        return None
    start = bisect.bisect_left(index.vocabulary, term)
    stop = bisect.bisect_left(index.vocabulary, term + "\uffff")
    if start == stop:
        return None
    best = np.zeros(len(index.ids))
    idf = 0.0
    for word in index.vocabulary[start:stop]:
        p = index.postings[word]
        np.maximum.at(best, p.docs, PREFIX_DISCOUNT * p.weight * p.idf)
        idf = max(idf, p.idf)
    docs = np.flatnonzero(best > 0)
    return docs, best[docs], idf


def _pairs(
    sequences: tuple[Mapping[str, tuple[str, ...]], ...], *, headline: bool
) -> Mapping[tuple[str, str], npt.NDArray[np.intp]]:
    """Each pair of adjacent terms -> the documents holding it in a headline (or other) field."""
    found: dict[tuple[str, str], set[int]] = defaultdict(set)
    for doc, fields in enumerate(sequences):
        for field, words in fields.items():
            if (field in _HEADLINE_FIELDS) == headline:
                for pair in itertools.pairwise(words):
                    found[pair].add(doc)
    return MappingProxyType(
        {pair: np.array(sorted(docs), dtype=np.intp) for pair, docs in found.items()}
    )


def _phrase_docs(
    index: IndicatorIndex,
    phrase: tuple[str, ...],
    candidates: npt.NDArray[np.intp],
    *,
    headline: bool,
) -> npt.NDArray[np.bool_]:
    """Mask of the candidates holding ``phrase`` (side by side) in a headline or other field."""
    pairs = index.headline_pairs if headline else index.other_pairs
    mask = np.zeros(len(index.ids), dtype=bool)
    mask[candidates] = True
    for pair in itertools.pairwise(phrase):
        has_pair = np.zeros(len(index.ids), dtype=bool)
        has_pair[pairs.get(pair, np.array([], dtype=np.intp))] = True
        mask &= has_pair
    if len(phrase) > 2:  # every adjacent pair is there; check they are in one run
        for doc in np.flatnonzero(mask).tolist():
            mask[doc] = any(
                _contains(words, phrase)
                for field, words in index.sequences[doc].items()
                if (field in _HEADLINE_FIELDS) == headline
            )
    return mask


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(
        words[i : i + size] == phrase
        for i in range(len(words) - size + 1)
        if words[i] == phrase[0]
    )


def _text(value: Any) -> str:
    """A field as text: '' for None or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)
