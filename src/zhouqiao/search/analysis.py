"""Chinese text analysis for the index, the queries, matching and 查重/查新.

One :class:`Analyzer` turns text into terms:

* NFKC folding (full-width Ｃ９ → c9) and lower case;
* identifiers kept whole before segmentation: patent numbers (``ZL201910123456.7``,
  ``CN110123456A``), model numbers (``TX-2000``, ``Ti6Al4V``), decimals (``3.5``);
* jieba segmentation with a domain dictionary (taxonomy names, catalog keywords) on a private
  ``jieba.Tokenizer`` — the global one is never touched, and the dictionary is loaded once per
  process (jieba's own dictionary ships inside the package: nothing is downloaded);
* stop words and punctuation dropped;
* index terms also carry the sub-words of long words (jieba's search mode: 锂离子电池 →
  锂离子 离子 电池 锂离子电池), so a short query finds a long term;
* synonyms (碳纤维 ≡ cf) are folded to one canonical term at index and query time, so the
  index holds one spelling and staff can add a synonym without... a reindex of old rows being
  wrong for long: ``zhouqiao reindex`` refreshes them.

The FTS backends store the terms joined by spaces, so SQLite's ``unicode61`` tokenizer and
PostgreSQL's ``to_tsvector('simple')`` see exactly these terms.

Beside the words, :func:`grams` gives the n-gram path its tokens: every CJK run as its overlapping
character bigrams, every Latin word and number whole (碳化硅SiC → 碳化 化硅 sic). A typed query is
cut the same way (:func:`phrases`), one phrase per space-separated piece; a record holds the piece
as a substring exactly when it holds the phrase's bigrams at consecutive positions, however jieba
cut either side. The backends store these tokens in their own index (see ``backends``).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from operator import add

import jieba

jieba.setLogLevel(60)

# Runs of letters and digits, with inner - _ . / kept (tx-2000, ti6al4v, zl201910123456.7, 3.5).
# A run that mixes letters and digits, or holds a separator between digits, is an identifier and
# stays whole; a plain English word or number is a term as it is.
_ALNUM_RUN = re.compile(r"[a-z0-9]+(?:[-_./][a-z0-9]+)*")
_WORD = re.compile(r"[a-z][a-z0-9]*|\d+|[\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")

STOP_WORDS = frozenset(
    """
    的 了 和 与 及 或 等 是 在 对 以 为 于 由 从 将 把 被 其 之 而 并 且 也 又 就 都 这 那 该 此 各 每
    一 一种 一个 一些 个 种 中 上 下 内 外 后 前 时 后 使 让 用 可 可以 能 能够 会 要 应 已 已经 还 再
    我们 本文 本 文 作者 通过 进行 采用 利用 使用 基于 关于 对于 以及 及其 其中 因此 所以 但 但是 然而 如果
    同时 并且 以上 以下 主要 方面 问题 研究 分析 结果 表明 显示 提出 探讨 讨论 具有 一定 相关 有效 不同 存在
    and or of the a an in on for to with by from at is are be as this that we our
    """.split()
)

# Built-in synonym groups; staff add more through the Synonym model (admin).
BUILTIN_SYNONYMS: list[tuple[str, ...]] = [
    ("碳纤维", "cf", "carbon fiber", "carbon fibre"),
    ("锂离子电池", "锂电池", "锂电"),
    ("人工智能", "ai"),
    ("物联网", "iot"),
    ("石墨烯", "graphene"),
    ("新能源汽车", "电动汽车", "ev"),
    ("无人机", "uav", "无人飞行器"),
    ("光伏", "太阳能电池", "pv"),
    ("发光二极管", "led"),
    ("计算机视觉", "机器视觉", "cv"),
    ("增材制造", "3d打印"),
]


def _is_identifier(run: str) -> bool:
    has_alpha = any(c.isalpha() for c in run)
    has_digit = any(c.isdigit() for c in run)
    return (has_alpha and has_digit) or (has_digit and any(c in "-_./" for c in run))


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


class Analyzer:
    """Text → terms. ``extra_words`` join jieba's dictionary; ``synonyms`` are groups whose
    first member is the canonical term."""

    def __init__(self, extra_words: Iterable[str] = (), synonyms: Iterable[Iterable[str]] = BUILTIN_SYNONYMS):
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        self._canonical: dict[str, str] = {}
        self._phrases: list[str] = []
        for group in synonyms:
            members = [normalise(m).strip() for m in group if m and m.strip()]
            if len(members) < 2:
                continue
            head = members[0].replace(" ", "")
            for member in members:
                self._canonical[member.replace(" ", "")] = head
                if " " in member:
                    self._phrases.append(member)
                if _CJK.search(member):
                    self._add_word(member.replace(" ", ""), 50000)
        for word in extra_words:
            self._add_word(normalise(word).strip(), 20000)

    def _add_word(self, word: str, freq: int) -> None:
        if 2 <= len(word) <= 12 and _CJK.search(word) and not re.search(r"[\s,，。;；、()（）]", word):
            self._tokenizer.add_word(word, freq)

    # -- terms -------------------------------------------------------------------------------
    def _pieces(self, text: str) -> list[tuple[str, bool]]:
        """Split normalised text into (piece, is_identifier) in reading order."""
        text = normalise(text)
        for phrase in self._phrases:
            text = text.replace(phrase, phrase.replace(" ", ""))
        out, pos = [], 0
        for m in _ALNUM_RUN.finditer(text):
            run = m.group(0)
            if not _is_identifier(run):
                continue
            if m.start() > pos:
                out.append((text[pos : m.start()], False))
            out.append((run, True))
            pos = m.end()
        out.append((text[pos:], False))
        return out

    def _keep(self, term: str) -> bool:
        if term in STOP_WORDS or not term.strip():
            return False
        if _CJK.search(term):
            return True
        return bool(re.fullmatch(r"[a-z0-9][a-z0-9._/-]*", term)) and (len(term) > 1 or term.isdigit())

    def _fold(self, term: str) -> str:
        return self._canonical.get(term, term)

    def terms(self, text: str) -> list[str]:
        """Query terms: one segmentation, synonyms folded, stop words dropped."""
        out = []
        for piece, ident in self._pieces(text):
            if ident:
                out.append(piece)
                continue
            for chunk in _WORD.findall(piece):
                if _CJK.match(chunk):
                    out.extend(self._tokenizer.lcut(chunk, HMM=True))
                else:
                    out.append(chunk)
        return [self._fold(t) for t in out if self._keep(t)]

    def index_terms(self, text: str) -> list[str]:
        """Index terms: as :meth:`terms` plus the dictionary sub-words of long words."""
        out = []
        for piece, ident in self._pieces(text):
            if ident:
                out.append(piece)
                continue
            for chunk in _WORD.findall(piece):
                if not _CJK.match(chunk):
                    out.append(chunk)
                    continue
                for word in self._tokenizer.lcut(chunk, HMM=True):
                    out.append(word)
                    if len(word) > 2:
                        out.extend(self._subwords(word))
        return [self._fold(t) for t in out if self._keep(t)]

    def _subwords(self, word: str) -> list[str]:
        freq = self._tokenizer.FREQ
        found = []
        for n in (2, 3):
            for i in range(len(word) - n + 1):
                gram = word[i : i + n]
                if gram != word and freq.get(gram):
                    found.append(gram)
        return found

    def reads_as_word(self, term: str) -> bool:
        """Whether a person reads ``term`` as a word: a CJK term from the dictionary (jieba's, the
        domain words, the synonyms), a Latin word or an identifier; not a bare number, nor a run
        of characters jieba's HMM guessed at."""
        if _CJK.search(term):
            return bool(self._tokenizer.FREQ.get(term))
        return not term.isdigit()

    def segment(self, text: str) -> str:
        """Index form: the terms joined by single spaces (what FTS5/tsvector tokenise)."""
        return " ".join(self.index_terms(text))


# -- the n-gram path -----------------------------------------------------------------------------
# CJK runs, Latin words and numbers; everything else (spaces, punctuation, - / .) separates them,
# so an identifier is held as its parts in order: 4H-SiC → 4 h sic, CN1234567A → cn 1234567 a.
_GRAM_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z]+|[0-9]+")


def grams(text: str) -> list[str]:
    """The n-gram tokens of ``text`` in reading order: each CJK run as its overlapping character
    bigrams (a lone character as itself), each Latin word and each number whole.

    Where a CJK run of two or more characters touches a Latin word or a number (用光5G), its edge
    character is also a token of its own between them (用光 光 5 g), so a piece that starts or
    ends inside the run there (光5, 5G专) is a phrase of the text as well."""
    runs = list(_GRAM_RUN.finditer(normalise(text)))
    out: list[str] = []
    for i, match in enumerate(runs):
        run = match.group()
        if len(run) > 1 and run[0] >= "\u3400":
            if i and runs[i - 1].end() == match.start():
                out.append(run[0])
            out.extend(map(add, run, run[1:]))
            if i + 1 < len(runs) and runs[i + 1].start() == match.end():
                out.append(run[-1])
        else:
            out.append(run)
    return out


def phrases(query: str) -> list[list[str]]:
    """The query as n-gram phrases, one per space-separated piece; a record contains the query when
    it holds every phrase. A piece of one character is left to the word path (the index holds
    bigrams, so a lone 硅 could only match a lone 硅)."""
    out: list[list[str]] = []
    for piece in normalise(query).split():
        tokens = grams(piece)
        if tokens and not (len(tokens) == 1 and len(tokens[0]) == 1) and tokens not in out:
            out.append(tokens)
    return out


def contains(query: str, text: str) -> bool:
    """Whether ``text`` holds every piece of ``query`` as the n-gram path sees it (what the index's
    phrase match answers, for code that checks one record in Python)."""
    wanted = phrases(query)
    if not wanted:
        return False
    held = " " + " ".join(grams(text)) + " "
    return all(" " + " ".join(p) + " " in held for p in wanted)


# -- the process-wide analyzer ----------------------------------------------------------------
_lock = threading.Lock()
_shared: Analyzer | None = None
_shared_version: object = None


def get_analyzer() -> Analyzer:
    """The process-wide analyzer with the domain dictionary and staff synonyms, built once and
    rebuilt only when the synonym list changes (``Synonym`` bumps the version)."""
    global _shared, _shared_version
    from zhouqiao.search.dictionary import dictionary_version, domain_words, synonym_groups

    version = dictionary_version()
    if _shared is not None and _shared_version == version:
        return _shared
    with _lock:
        if _shared is None or _shared_version != version:
            _shared = Analyzer(extra_words=domain_words(), synonyms=[*BUILTIN_SYNONYMS, *synonym_groups()])
            _shared_version = version
    return _shared


def invalidate() -> None:
    """Drop this process's analyzer after a synonym change; the next use builds a fresh one."""
    global _shared, _shared_version
    with _lock:
        _shared, _shared_version = None, None


# -- small text statistics shared by ranking, matching and 查重 ----------------------------------
def term_counts(terms: Iterable[str]) -> Counter:
    return Counter(terms)


def shingles(text: str, size: int = 3) -> set[str]:
    """Character shingles of the CJK/alphanumeric content (for MinHash near-duplicates)."""
    compact = "".join(_WORD.findall(normalise(text)))
    if len(compact) <= size:
        return {compact} if compact else set()
    return {compact[i : i + size] for i in range(len(compact) - size + 1)}


def idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))
