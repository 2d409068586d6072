"""Sentiment of customer feedback text, with VADER, and how to check it.

VADER (Hutto & Gilbert 2014) is a rule-based sentiment model for short English
texts. For each text it gives the shares of negative, neutral and positive
words (``neg``, ``neu``, ``pos``) and a ``compound`` score from -1 (most
negative) to +1 (most positive), computed as x / sqrt(x**2 + 15) where x is the
sum of the rule-adjusted word valences. The conventional labels are
*positive* when compound >= 0.05, *negative* when compound <= -0.05 and
*neutral* in between; tune these on your own labelled sample.

What this module adds around VADER:

* **Missing text is not neutral.** Blank or missing comments are counted and
  returned as NaN with ``status == "blank"``; VADER would silently score them
  0.0 ("neutral").
* **English only.** Texts written mostly in a non-Latin script (Persian,
  Arabic, Cyrillic, ...) are flagged ``status == "non_english"`` and returned
  as NaN rather than scored as neutral (VADER knows no Persian word, so it
  would score them 0.0). Persian written in Latin letters ("Finglish") cannot
  be detected this way: check a sample by hand.
* **Speed.** Identical texts are scored once (real feedback repeats a lot),
  with one cached analyzer, in batches with an optional progress bar.
* **Emotion words.** Sentiment is not emotional connection: VADER scores
  "Great value for money" and "I love Simorgh" alike as positive, and it
  saturates on positive text. :func:`emotion_words` finds words of attachment
  (:data:`ATTACHMENT_WORDS`: love, trust, loyal, family, proud, heartbroken,
  ...) in each comment, the raw material of a per-customer connection measure
  (:func:`cxlib.analytics.emotion.connection_from_text`).
* **Validation.** :func:`evaluate_labels` compares labels with a hand-labelled
  sample (accuracy, macro-F1, confusion matrix); :func:`labelled_examples`
  holds a small hand-labelled set that shows VADER's strengths and its limits
  (sarcasm, domain words such as "sick" or "cheap").

Examples
--------
>>> from cxlib.analytics.text import score_texts
>>> s = score_texts(["Great service, thank you!", "", "The app keeps crashing. Awful."],
...                 progress=False)
>>> s[["compound", "label", "status"]]
   compound     label status
0    0.7840  positive     ok
1       NaN       NaN  blank
2   -0.4588  negative     ok
>>> s.attrs["n_blank"], s.attrs["n_scored"]
(1, 2)
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from cxlib.errors import CxError

__all__ = [
    "POSITIVE",
    "NEGATIVE",
    "LABELS",
    "analyzer",
    "score_text",
    "score_texts",
    "sentiment_label",
    "detect_script",
    "labelled_examples",
    "evaluate_labels",
    "LabelAgreement",
    "rating_agreement",
    "ATTACHMENT_WORDS",
    "emotion_words",
]


#: Conventional VADER thresholds (Hutto & Gilbert 2014): compound >= 0.05 is positive.
POSITIVE = 0.05


#: compound <= -0.05 is negative.
NEGATIVE = -0.05


#: The three labels, in order.
LABELS = ("negative", "neutral", "positive")


_SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]


# Letters of scripts VADER cannot read. Latin letters (incl. accents) are A-Z, a-z, U+00C0-U+024F.
_LATIN = r"[A-Za-z\u00C0-\u024F]"


_PERSIAN_ARABIC = r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]"


_OTHER_SCRIPTS = (
    r"[\u0370-\u03FF\u0400-\u04FF\u0590-\u05FF\u0900-\u0DFF\u0E00-\u0E7F\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF]"
)


@lru_cache(maxsize=1)
def analyzer():
    """The VADER ``SentimentIntensityAnalyzer``, created once and cached.

    Returns
    -------
    vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer
        The same analyzer on every call.

    Examples
    --------
    >>> analyzer() is analyzer()
    True
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _check_thresholds(positive: float, negative: float) -> None:
    if not (-1 <= negative <= positive <= 1):
        raise CxError(
            f"sentiment thresholds must satisfy -1 <= negative <= positive <= 1; got "
            f"negative={negative}, positive={positive}. The usual VADER values are "
            f"negative=-0.05, positive=0.05."
        )


def sentiment_label(compound, positive: float = POSITIVE, negative: float = NEGATIVE):
    """Label compound scores ``positive`` / ``neutral`` / ``negative``.

    A score is positive when ``compound >= positive``, negative when
    ``compound <= negative``, neutral in between; NaN stays NaN.

    Parameters
    ----------
    compound : float or array-like
        VADER compound score(s), -1 to +1.
    positive, negative : float
        The thresholds (defaults +0.05 and -0.05).

    Returns
    -------
    str or pandas.Series
        One label for a scalar (NaN for NaN), else a Series of labels.

    Examples
    --------
    >>> sentiment_label(0.05), sentiment_label(0.049), sentiment_label(-0.05)
    ('positive', 'neutral', 'negative')
    >>> sentiment_label([0.5, float("nan"), -0.3], positive=0.6).tolist()
    ['neutral', nan, 'negative']
    """
    _check_thresholds(positive, negative)
    scalar = np.ndim(compound) == 0
    index = compound.index if isinstance(compound, pd.Series) else None
    c = np.atleast_1d(np.asarray(compound, dtype=float))
    out = np.select([c >= positive, c <= negative, ~np.isnan(c)], ["positive", "negative", "neutral"], default="")
    labels = pd.Series([v if v else np.nan for v in out.tolist()], index=index, dtype=object)
    return labels.iloc[0] if scalar else labels


def detect_script(texts: Iterable) -> pd.Series:
    """Which script each text is written in: ``latin``, ``persian_arabic``, ``other`` or ``none``.

    A text counts as written in a script when most of its letters are; texts
    with no letters at all (blank, digits, emoji) are ``none``. Vectorised over
    the unique texts.

    Parameters
    ----------
    texts : iterable of str
        The texts (a Series keeps its index); missing values are ``none``.

    Returns
    -------
    pandas.Series
        One script name per text, named ``script``.

    Examples
    --------
    >>> detect_script(["Good service", "خیلی خوب بود", "Привет", "10/10", None]).tolist()
    ['latin', 'persian_arabic', 'other', 'none', 'none']
    """
    s = pd.Series(list(texts) if not isinstance(texts, pd.Series) else texts, dtype=object)
    text = s.where(s.map(lambda v: isinstance(v, str)), "").astype(str)
    uniq = pd.Series(text.unique())
    latin = uniq.str.count(_LATIN)
    pers = uniq.str.count(_PERSIAN_ARABIC)
    other = uniq.str.count(_OTHER_SCRIPTS)
    total = latin + pers + other
    kind = np.select(
        [total == 0, latin * 2 > total, pers >= other], ["none", "latin", "persian_arabic"], default="other"
    )
    lookup = dict(zip(uniq, kind.tolist()))
    return pd.Series(text.map(lookup).to_numpy(), index=s.index, name="script")


def score_text(text: str, positive: float = POSITIVE, negative: float = NEGATIVE) -> dict:
    """Score one text; a dict with neg, neu, pos, compound, label and status.

    Convenient for a text box in a lesson; use :func:`score_texts` for many.

    Parameters
    ----------
    text : str
        The text.
    positive, negative : float
        The compound thresholds of the labels.

    Returns
    -------
    dict
        ``neg``, ``neu``, ``pos``, ``compound``, ``label`` and ``status`` as in :func:`score_texts`.

    Examples
    --------
    >>> r = score_text("The agent was so kind and patient!")
    >>> r["label"], r["compound"]
    ('positive', 0.6867)
    >>> score_text("   ")["status"]
    'blank'
    """
    row = score_texts([text], positive=positive, negative=negative, progress=False).iloc[0]
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def _prepare_texts(texts: Iterable, english_only: bool) -> tuple[pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """Texts as a Series, their stripped strings, a blank mask and a status per text.

    The status is ``ok``, ``blank`` or (with ``english_only``) ``non_english``.
    Raises :class:`CxError` when a value is neither text nor missing.
    """
    s = texts.copy() if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    s = s.astype(object)
    missing = s.isna().to_numpy()
    is_text = s.map(lambda v: isinstance(v, str)).to_numpy()
    bad = ~missing & ~is_text
    if bad.any():
        pos = np.flatnonzero(bad)
        examples = ", ".join(repr(v) for v in s.iloc[pos[:5]].tolist())
        raise CxError(
            f"{bad.sum()} value(s) are not text (positions {', '.join(map(str, pos[:5]))}"
            f"{' ...' if len(pos) > 5 else ''}; values {examples}). Pass the comment column "
            f"itself, or convert it with .astype('string') if numbers are real comments."
        )
    text = s.where(is_text, "").astype(str).str.strip()
    blank = (text == "").to_numpy()
    status = np.where(blank, "blank", "ok").astype(object)
    if english_only:
        script = detect_script(text).to_numpy()
        status[(~blank) & (script != "latin") & (script != "none")] = "non_english"
    return s, text, blank, status


#: At most this many texts are looked up in the store of the lessons' scores.
_STORED_TEXTS = 20_000


def _vader(texts: np.ndarray, batch_size: int, show: bool) -> np.ndarray:
    """VADER's neg, neu, pos and compound for each text, in batches with an optional progress bar.

    Lesson 03's 4,500 rated texts (0.3 s of VADER) are scored once and stored
    (:mod:`cxlib.analytics._precomputed`, by a fingerprint of the texts and VADER's version);
    a test checks the stored scores are the ones computed here.
    """
    from tqdm.auto import tqdm

    from cxlib.analytics import _precomputed

    key = None  # an analyst's big file is not the lessons' (and its fingerprint would copy every text)
    if len(texts) <= _STORED_TEXTS:
        key = _precomputed.fingerprint("text.vader", [np.asarray(texts, dtype=object)], {}, ("vaderSentiment",))
    stored = _precomputed.lookup(key)
    if stored is not None:
        return np.frombuffer(base64.b64decode(stored), dtype="<f8").astype(float).reshape(-1, 4)
    sia = analyzer()
    scores = np.empty((len(texts), 4), dtype=float)
    with tqdm(total=len(texts), disable=not show, desc="VADER", unit="text") as bar:
        for start in range(0, len(texts), batch_size):
            chunk = texts[start : start + batch_size]
            scores[start : start + len(chunk)] = [
                [d["neg"], d["neu"], d["pos"], d["compound"]] for d in map(sia.polarity_scores, chunk)
            ]
            bar.update(len(chunk))
    _precomputed.record(key, "text.vader", base64.b64encode(scores.astype("<f8").tobytes()).decode("ascii"))
    return scores


def score_texts(
    texts: Iterable,
    *,
    positive: float = POSITIVE,
    negative: float = NEGATIVE,
    batch_size: int = 5000,
    progress: bool | None = None,
    dedupe: bool = True,
    english_only: bool = True,
) -> pd.DataFrame:
    """Score English feedback texts with VADER.

    Parameters
    ----------
    texts : iterable of str (a pandas Series keeps its index)
        The comments. Missing values (None/NaN) and blank strings are allowed.
    positive, negative : float
        Compound thresholds for the ``label`` column (defaults +0.05 / -0.05).
    batch_size : int
        Unique texts scored per progress-bar step.
    progress : bool or None
        Show a tqdm progress bar (``tqdm.auto``: a widget in Jupyter, text in a
        terminal). None (default) shows it only when more than 20,000 unique
        texts are to be scored; False never shows it.
    dedupe : bool
        Score each distinct text once and copy the scores to its repeats
        (same result, much faster on real feedback). Default True.
    english_only : bool
        If True (default), texts written mostly in a non-Latin script are not
        scored (status ``non_english``). Set False to score them anyway (VADER
        will call them neutral, which is almost always wrong).

    Returns
    -------
    pandas.DataFrame
        One row per input text, same index: ``neg``, ``neu``, ``pos``,
        ``compound`` (NaN when not scored), ``label`` (``positive``/``neutral``/
        ``negative``; NaN when not scored) and ``status`` (``ok``, ``blank``,
        ``non_english``). ``attrs`` holds the counts ``n``, ``n_scored``,
        ``n_blank``, ``n_non_english``, ``n_unique`` and the thresholds.

    Raises
    ------
    CxError
        If a value is not text (a number, a date, ...) or the thresholds are invalid.

    Examples
    --------
    >>> s = score_texts(["Love it", "Love it", "خیلی بد", None], progress=False)
    >>> s["status"].tolist()
    ['ok', 'ok', 'non_english', 'blank']
    >>> s.attrs["n_unique"], s.attrs["n_non_english"]
    (1, 1)
    """
    _check_thresholds(positive, negative)
    if int(batch_size) < 1:
        raise CxError(f"batch_size must be a positive whole number; got {batch_size!r}.")
    s, text, blank, status = _prepare_texts(texts, english_only)
    to_score = status == "ok"
    todo = text[to_score]
    uniq = pd.unique(todo.to_numpy()) if dedupe else todo.to_numpy()
    n_work = len(uniq)
    scores = _vader(uniq, int(batch_size), (n_work > 20_000) if progress is None else bool(progress))
    out = pd.DataFrame(np.nan, index=s.index, columns=_SCORE_COLUMNS)
    if n_work:
        if dedupe:
            pos_in_uniq = pd.Index(uniq).get_indexer(todo.to_numpy())
            out.loc[to_score, _SCORE_COLUMNS] = scores[pos_in_uniq]
        else:
            out.loc[to_score, _SCORE_COLUMNS] = scores
    out["label"] = sentiment_label(out["compound"], positive, negative)
    out["status"] = status
    n_non_english = int((status == "non_english").sum())
    out.attrs.update(n=int(len(s)), n_scored=int(to_score.sum()), n_blank=int(blank.sum()),
                     n_non_english=n_non_english, n_unique=int(n_work), positive=float(positive),
                     negative=float(negative))  # fmt: skip
    return out


# ----------------------------------------------------------------------------------------------
# Validation against hand labels
# ----------------------------------------------------------------------------------------------
_EXAMPLES = [
    # (text, human label, what it shows)
    ("The agent was friendly and solved my problem in minutes. Thank you!", "positive", "clear praise"),
    ("Great coverage everywhere I travel, very happy with Simorgh.", "positive", "clear praise"),
    ("Best operator I have had, the staff really care.", "positive", "clear praise"),
    ("Terrible network, calls drop every day.", "negative", "clear complaint"),
    ("I waited 40 minutes and nobody helped me. Awful.", "negative", "clear complaint"),
    ("The bill was wrong again and the refund never came.", "negative", "complaint without emotion words"),
    ("I changed my plan to Plus last month.", "neutral", "a plain fact"),
    ("Please call me back about my SIM card.", "neutral", "a request"),
    ("Not bad at all, the new plan works fine.", "positive", "negation VADER handles"),
    ("The service is not good.", "negative", "negation VADER handles"),
    ("Great, another dropped call. Just what I needed.", "negative", "sarcasm"),
    ("Oh wonderful, the app logged me out for the fifth time today.", "negative", "sarcasm"),
    ("Your new 5G speed is sick!", "positive", "domain word: 'sick' is praise"),
    ("Cheap plan, but it does the job.", "positive", "domain word: 'cheap' as a good price"),
    (
        "No signal in the metro, no signal at home, no answer from support.",
        "negative",
        "complaint without emotion words",
    ),
    ("They fixed it eventually, but only after I called five times.", "negative", "mixed text"),
]


def labelled_examples() -> pd.DataFrame:
    """A small hand-labelled sample of support comments (text, label, note).

    Sixteen short comments written for this course and labelled by hand, chosen
    to show where VADER is right (plain praise and complaints, simple negation)
    and where it fails (sarcasm, domain words such as "sick" and "cheap",
    complaints with no emotion words, mixed texts). Too small to estimate
    accuracy for a company: label a random sample of your own comments (a few
    hundred) for that.

    Returns
    -------
    pandas.DataFrame
        ``text``, ``label`` (negative, neutral, positive) and ``note`` (what the example shows).

    Examples
    --------
    >>> ex = labelled_examples()
    >>> ex.shape, sorted(ex["label"].unique())
    ((16, 3), ['negative', 'neutral', 'positive'])
    """
    return pd.DataFrame(_EXAMPLES, columns=["text", "label", "note"])


@dataclass(frozen=True)
class LabelAgreement:
    """How well predicted sentiment labels agree with reference labels.

    Attributes
    ----------
    n : int
        Pairs compared (both labels present).
    n_excluded : int
        Pairs left out because either label is missing.
    accuracy : float
        Share of exact matches.
    macro_f1 : float
        Unweighted mean of the per-label F1 scores (each label counts equally,
        so a model that never says "neutral" is penalised even if neutral is rare).
    per_label : pandas.DataFrame
        Precision, recall, F1 and support per label.
    confusion : pandas.DataFrame
        Counts: rows are the reference labels, columns the predictions.
    """

    n: int
    n_excluded: int
    accuracy: float
    macro_f1: float
    per_label: pd.DataFrame
    confusion: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"LabelAgreement(n={self.n}, accuracy={self.accuracy:.3f}, "
            f"macro_f1={self.macro_f1:.3f}, n_excluded={self.n_excluded})"
        )


def evaluate_labels(predicted, reference, labels: Iterable[str] = LABELS) -> LabelAgreement:
    """Compare predicted labels with hand labels: accuracy, macro-F1, confusion matrix.

    Parameters
    ----------
    predicted, reference : array-like of str
        Same length. Pairs where either is missing are excluded and counted.
    labels : iterable of str
        The label set (default negative, neutral, positive).

    Returns
    -------
    LabelAgreement
        Accuracy, macro-F1, per-label scores and the confusion matrix.

    Raises
    ------
    CxError
        If the lengths differ, a label is unknown, or no pair has both labels.

    Examples
    --------
    >>> a = evaluate_labels(["positive", "negative", "neutral", "positive"],
    ...                     ["positive", "negative", "positive", None])
    >>> a
    LabelAgreement(n=3, accuracy=0.667, macro_f1=0.556, n_excluded=1)
    >>> int(a.confusion.loc["positive", "neutral"])
    1
    """
    p = pd.Series(list(predicted), dtype=object)
    r = pd.Series(list(reference), dtype=object)
    if len(p) != len(r):
        raise CxError(f"predicted and reference labels must have the same length; got {len(p)} and {len(r)}.")
    labels = list(labels)
    keep = p.notna() & r.notna()
    p, r = p[keep].astype(str), r[keep].astype(str)
    unknown = sorted((set(p) | set(r)) - set(labels))
    if unknown:
        raise CxError(f"unknown label(s) {unknown}; expected only {labels}. Map your labels to these names first.")
    if keep.sum() == 0:
        raise CxError("no pairs to compare: every predicted or reference label is missing.")
    # a label nobody used (neither in the reference nor predicted) has no F1: leave it out of the mean
    present = [lab for lab in labels if lab in set(p) | set(r)]
    counts = _confusion_counts(r, p, labels)
    per = _label_scores(counts, labels)
    cm = pd.DataFrame(counts, index=pd.Index(labels, name="reference"), columns=pd.Index(labels, name="predicted"))
    return LabelAgreement(
        n=int(keep.sum()),
        n_excluded=int((~keep).sum()),
        accuracy=float(np.trace(counts) / counts.sum()),
        macro_f1=float(per.loc[present, "f1"].mean()),
        per_label=per,
        confusion=cm,
    )


def _confusion_counts(reference: pd.Series, predicted: pd.Series, labels: list[str]) -> np.ndarray:
    """Counts of (reference, predicted) label pairs: rows are the reference labels, columns the predictions."""
    position = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(counts, (reference.map(position).to_numpy(int), predicted.map(position).to_numpy(int)), 1)
    return counts


def _label_scores(counts: np.ndarray, labels: list[str]) -> pd.DataFrame:
    """Precision, recall, F1 and support per label from a confusion matrix (0 where a ratio is 0/0)."""
    hits = np.diag(counts).astype(float)
    called, support = counts.sum(axis=0), counts.sum(axis=1)

    def ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
        return np.divide(top, bottom, out=np.zeros(len(top)), where=bottom > 0)

    return pd.DataFrame(
        {
            "precision": ratio(hits, called),
            "recall": ratio(hits, support),
            "f1": ratio(2 * hits, called + support),  # 2PR / (P + R), as scikit-learn computes it
            "support": support,
        },
        index=labels,
    )


def rating_agreement(
    data: pd.DataFrame,
    score_column: str,
    rating_column: str,
    group_column: str | None = None,
    *,
    positive: float = POSITIVE,
    negative: float = NEGATIVE,
    level: float = 0.95,
) -> pd.DataFrame:
    """How well an automatic sentiment score agrees with human ratings, with intervals.

    Two numbers per group (e.g. per kind of text): the **Spearman rank correlation**
    between the score (VADER's ``compound``) and the mean human rating, with its
    Fisher z interval (:func:`cxlib.analytics.correlation.correlation`), and the
    **share of texts whose direction agrees**: among the texts people rated positive
    (rating > 0) or negative (rating < 0), the share that the score's label calls the
    same (compound >= ``positive`` or <= ``negative``), with a Wilson interval. A text
    the score calls neutral counts as a miss; texts whose rating is exactly 0 are left
    out of the share (``n_signed`` counts the rest).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per text.
    score_column, rating_column : str
        The automatic score (e.g. ``compound``, -1 to 1) and the human rating (any scale
        centred on 0, e.g. -4 to 4). Rows with either blank are left out and counted.
    group_column : str, optional
        One row of results per group (in order of appearance); None for one overall row.
    positive, negative : float
        The score's label thresholds (defaults +0.05 / -0.05).
    level : float
        Confidence level of both intervals.

    Returns
    -------
    pandas.DataFrame
        Per group: ``n``, ``n_missing``, ``spearman``, ``spearman_low``, ``spearman_high``,
        ``n_signed``, ``sign_agreement``, ``sign_low``, ``sign_high`` and
        ``called_neutral`` (share of the signed texts the score calls neutral).

    Raises
    ------
    CxError
        If a column is missing, or a group has fewer than 4 complete rows or a constant column.

    Examples
    --------
    >>> t = pd.DataFrame({"compound": [0.8, 0.4, 0.0, -0.3, -0.7, 0.6],
    ...                   "rating": [2.5, 1.0, -0.5, -1.5, -3.0, 0.0]})
    >>> rating_agreement(t, "compound", "rating").round(2)[["n", "spearman", "n_signed", "sign_agreement"]]
       n  spearman  n_signed  sign_agreement
    0  6      0.94         5             0.8
    """
    from cxlib.analytics.correlation import correlation
    from cxlib.analytics.stats import wilson_interval
    from cxlib.checks import require_columns

    _check_thresholds(positive, negative)
    cols = [score_column, rating_column] + ([group_column] if group_column else [])
    require_columns(data, cols, "rating_agreement()", source="data")
    groups = data.groupby(group_column, sort=False) if group_column else [("all", data)]
    rows = []
    for name, g in groups:
        score = pd.to_numeric(g[score_column], errors="coerce")
        rating = pd.to_numeric(g[rating_column], errors="coerce")
        corr = correlation(score, rating, method="spearman", level=level)
        ok = score.notna() & rating.notna() & rating.ne(0)
        agree = ((rating > 0) & (score >= positive)) | ((rating < 0) & (score <= negative))
        k, n = int(agree[ok].sum()), int(ok.sum())
        low, high = wilson_interval(k, n, level)
        neutral = score.gt(negative) & score.lt(positive)
        rows.append({
            "group": name, "n": corr.n, "n_missing": corr.n_missing, "spearman": corr.r,
            "spearman_low": corr.ci_low, "spearman_high": corr.ci_high, "n_signed": n,
            "sign_agreement": k / n if n else np.nan, "sign_low": float(low), "sign_high": float(high),
            "called_neutral": float(neutral[ok].mean()) if n else np.nan,
        })  # fmt: skip
    out = pd.DataFrame(rows)
    return out.rename(columns={"group": group_column}) if group_column else out.drop(columns="group")


# ----------------------------------------------------------------------------------------------
# Emotion (attachment) words: tone is not the same as connection
# ----------------------------------------------------------------------------------------------
#: Words and phrases with which customers express an *emotional bond* with a company, grouped
#: by the kind of bond. The groups follow the affection / connection / passion facets of brand
#: attachment (Thomson, MacInnis & Park 2005), plus trust and loyalty, pride and feeling valued,
#: and the hurt of a bond let down (a connected customer's complaint). A general sentiment
#: lexicon such as VADER's scores "Great value for money" and "I love Simorgh" alike as
#: positive; this list separates them. Written for this course: validate it on your own
#: comments (and extend it) before you rely on it.
ATTACHMENT_WORDS: dict = {
    "affection": ("love", "loved", "loves", "loving", "adore", "fond of"),
    "connection": ("family", "attached", "bonded", "belong", "care about", "cares about"),
    "trust and loyalty": ("trust", "trusted", "trusting", "loyal", "loyalty", "faithful"),
    "pride and feeling valued": ("proud", "valued", "appreciate", "appreciated"),
    "hurt of a bond let down": ("heartbroken", "hurt", "hurts", "betrayed", "let down", "let me down"),
}


def _lexicon_pattern(lexicon) -> str:
    if isinstance(lexicon, dict):
        words = [w for group in lexicon.values() for w in group]
    elif isinstance(lexicon, str):
        words = [lexicon]
    else:
        words = list(lexicon)
    bad = [w for w in words if not isinstance(w, str) or not w.strip()]
    if not words or bad:
        raise CxError(
            f"the lexicon must be a non-empty list of words or phrases (or a dict of such lists); "
            f"got {'nothing' if not words else 'invalid entries ' + repr(bad[:5])}."
        )
    # longest first, so "let me down" wins over "let"; spaces match any run of white space
    words = sorted({w.strip().lower() for w in words}, key=len, reverse=True)
    alts = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return rf"(?i)(?<![\w'])(?:{alts})(?![\w'])"


def emotion_words(texts: Iterable, lexicon=None, *, english_only: bool = True) -> pd.DataFrame:
    """Find emotion (attachment) words in each text: how many, which, and whether any.

    A text "has emotion words" when it contains at least one word or phrase of
    the lexicon (whole words, case-insensitive). Negation is **not** handled
    ("I don't love it" counts), nor sarcasm: read a sample of the hits.

    Parameters
    ----------
    texts : iterable of str (a pandas Series keeps its index)
        The comments; missing and blank ones are allowed.
    lexicon : list of str, or dict of lists, optional
        Words and phrases to look for. Default :data:`ATTACHMENT_WORDS`.
    english_only : bool
        As in :func:`score_texts`: texts mostly in a non-Latin script are not
        searched (status ``non_english``) because an English word list cannot
        find their emotion.

    Returns
    -------
    pandas.DataFrame
        Same index: ``n_words`` (matches; NaN when not searched), ``words``
        (the matches, lower case, joined by ", "), ``has_emotion`` (1.0/0.0;
        NaN when not searched) and ``status`` (``ok``, ``blank``,
        ``non_english``). ``attrs`` holds ``n``, ``n_searched``, ``n_blank``,
        ``n_non_english`` and ``n_with_emotion``.

    Examples
    --------
    >>> e = emotion_words(["I love Simorgh, it feels like family.", "Great value for money.",
    ...                    "I trusted them and I feel let   down.", ""])
    >>> e[["n_words", "words", "has_emotion", "status"]]
       n_words           words  has_emotion status
    0      2.0    love, family          1.0     ok
    1      0.0                          0.0     ok
    2      2.0  trusted, let down          1.0     ok
    3      NaN             NaN          NaN  blank
    >>> e.attrs["n_with_emotion"], e.attrs["n_blank"]
    (2, 1)
    """
    pattern = _lexicon_pattern(ATTACHMENT_WORDS if lexicon is None else lexicon)
    s, text, blank, status = _prepare_texts(texts, english_only)
    ok = status == "ok"
    uniq = pd.Series(pd.unique(text[ok].to_numpy()), dtype=object)
    found = uniq.str.findall(pattern).map(lambda ws: [re.sub(r"\s+", " ", w.lower()) for w in ws])
    lookup_n = dict(zip(uniq, found.map(len)))
    lookup_w = dict(zip(uniq, found.map(", ".join)))
    n_words = pd.Series(np.nan, index=s.index)
    words = pd.Series(np.nan, index=s.index, dtype=object)
    n_words[ok] = text[ok].map(lookup_n).astype(float).to_numpy()
    words[ok] = text[ok].map(lookup_w).to_numpy()
    out = pd.DataFrame(
        {"n_words": n_words, "words": words, "has_emotion": (n_words > 0).astype(float).where(ok), "status": status},
        index=s.index,
    )
    out.attrs.update(
        {
            "n": int(len(s)),
            "n_searched": int(ok.sum()),
            "n_blank": int(blank.sum()),
            "n_non_english": int((status == "non_english").sum()),
            "n_with_emotion": int((out["has_emotion"] == 1).sum()),
        }
    )
    return out
