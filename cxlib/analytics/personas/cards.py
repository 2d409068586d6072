"""Persona cards: one per segment, every trait tied to a number.

:func:`persona_cards` names each segment after the features that clearly differ
(centroid z-scores), with age band, channel and content preference, size and
stability, and lists traits the data does **not** support. :func:`compare_segments`
measures agreement with another labelling; :func:`rate_by_segment` gives an outcome
rate per segment with Wilson intervals.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._level import alpha_becomes_level, check_level
from cxlib.analytics.personas.segmentation import StabilityResult, _verdict
from cxlib.analytics.stats import wilson_interval
from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = [
    "persona_cards",
    "PersonaCard",
    "PersonaCards",
    "Trait",
    "compare_segments",
    "SegmentComparison",
    "rate_by_segment",
    "best_match",
    "FEATURE_WORDS",
    "UNSUPPORTED_ALWAYS",
]


#: Words for a feature that is clearly high / low in a segment (used in names and traits).
FEATURE_WORDS: dict[str, tuple[str, str, str]] = {
    # feature (named as cxlib.features names it): (label for the number, word when high, word when low)
    "age": ("median age (years)", "older", "younger"),
    "tenure_months": ("tenure (months)", "long-standing", "newer"),
    "usage_gb_mean": ("data use (GB/month)", "heavy data users", "light data users"),
    "spend_mean": ("spend (USD/month)", "high spenders", "low spenders"),
    "products_held_mean": ("products held", "multi-product", "single-product"),
    "care_contacts_mean": ("care contacts per month", "frequent contacts", "rare contacts"),
    "complaints_mean": ("complaints per month", "complaint-prone", "rarely complain"),
    "help_views_mean": ("help views per month", "self-service users", "rarely use self-service"),
    "help_video_views_mean": ("help videos watched per month", "video watchers", "rarely watch help videos"),
    "help_article_views_mean": ("help pages read per month", "help-page readers", "rarely read help pages"),
    "video_share": ("share of help views that are videos", "video learners", "web-page readers"),
    "digital_contact_share": ("share of contacts by chat/email", "digital contact", "phone/store contact"),
    "monthly_fee": ("monthly fee (USD)", "premium plan", "budget plan"),
}


#: Traits no behavioural table can show; every card warns against adding them.
UNSUPPORTED_ALWAYS = (
    "personality, motives and attitudes (e.g. 'loves new tech')",
    "gender, family, job or income",
    "a single 'typical' age: ages in a segment spread widely (see the age band)",
)


# ----------------------------------------------------------------------------------
# persona cards
# ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trait:
    """One line on a persona card, with the numbers that back it.

    Attributes
    ----------
    text : str
        The line as read on the card, e.g. "spends more".
    feature : str
        The feature it describes.
    value : float
        The segment's mean of the feature.
    overall : float
        The mean over every customer.
    z : float
        The segment centroid's z-score on the feature.
    used : bool
        Whether the feature was used to build the segments (a False trait only describes them).
    """

    text: str
    feature: str
    value: float
    overall: float
    z: float
    used: bool = True

    def __str__(self) -> str:
        note = "" if self.used else " [not used to build the segment]"
        return f"{self.text} ({_fmt(self.value)} vs {_fmt(self.overall)} overall; z = {self.z:+.1f}){note}"


def _fmt(v: float) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    if abs(v) < 1 and v != 0:
        return f"{v:.2f}"
    return f"{v:.1f}" if abs(v) < 100 else f"{v:,.0f}"


@dataclass
class PersonaCard:
    """A data-backed persona: every trait carries the number behind it.

    Attributes
    ----------
    segment : int
    name : str
        Built from the features that clearly differ (|z| ≥ ``strong``).
    size, share : int, float
    age_band : str
        Interquartile range and median of age, e.g. ``"29–41 (median 35)"``.
    median_age : float
    channel : str
        Preferred support channel with the share of members who prefer it.
    content : str
        The support content that serves them best, with its evidence.
    needs : list of str
    traits : list of Trait
        Every feature with |z| ≥ ``moderate``, strongest first.
    z : dict
        Centroid z-score of every segmentation feature.
    stability : float or None
        Mean bootstrap Jaccard (Hennig 2007) if a stability check was run.
    warnings : list of str
        Traits the data does *not* support; do not put them on the card.
    alias : str or None
        An illustrative (fictional) first name attached by the analyst.
    content_kind : str
        The kind of that content (``"video"``, ``"web page"`` or ``"phone or store"``), which
        sets the card's colour.
    """

    segment: int
    name: str
    size: int
    share: float
    age_band: str
    median_age: float
    channel: str
    content: str
    content_kind: str
    needs: list
    traits: list
    z: dict
    stability: float | None = None
    warnings: list = field(default_factory=list)
    alias: str | None = None

    @property
    def title(self) -> str:
        """The card's heading (with the fictional name when there is one)."""
        head = f"Segment {self.segment}: {self.name}"
        if self.alias:
            head = f"“{self.alias}” (fictional name) · " + head
        return head

    def to_dict(self) -> dict:
        """The card as a JSON-friendly dict.

        Returns
        -------
        dict
        """
        return {
            "segment": self.segment,
            "name": self.name,
            "alias": self.alias,
            "size": self.size,
            "share": self.share,
            "age_band": self.age_band,
            "median_age": self.median_age,
            "channel": self.channel,
            "content": self.content,
            "content_kind": self.content_kind,
            "needs": list(self.needs),
            "traits": [str(t) for t in self.traits],
            "z": dict(self.z),
            "stability": self.stability,
            "warnings": list(self.warnings),
        }

    def __str__(self) -> str:
        stab = "not checked" if self.stability is None else f"{self.stability:.2f} ({_verdict(self.stability)})"
        lines = [
            self.title,
            f"  size: {self.size:,} customers ({self.share:.0%}); stability (Jaccard): {stab}",
            f"  age: {self.age_band}",
            f"  channel: {self.channel}",
            f"  best support content: {self.content}",
        ]
        lines += ["  needs: " + n for n in self.needs]
        lines += ["  trait: " + str(t) for t in self.traits]
        lines += ["  NOT supported by the data: " + w for w in self.warnings]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        e = html.escape
        stab = "not checked" if self.stability is None else f"{self.stability:.2f} ({_verdict(self.stability)})"
        colour = {"video": "#0072B2", "web page": "#009E73", "phone or store": "#E69F00"}.get(self.content_kind, "#999")
        rows = "".join(
            f"<tr><td style='padding:1px 8px 1px 0'>{e(t.text)}</td>"
            f"<td style='text-align:right'>{e(_fmt(t.value))}</td>"
            f"<td style='text-align:right;color:#666'>{e(_fmt(t.overall))}</td>"
            f"<td style='text-align:right'>{t.z:+.1f}</td></tr>"
            for t in self.traits
        )
        needs = "".join(f"<li>{e(n)}</li>" for n in self.needs)
        warns = "".join(f"<li>{e(w)}</li>" for w in self.warnings)
        return (
            f"<div style='border:1px solid #ccc;border-left:6px solid {colour};border-radius:4px;"
            f"padding:8px 12px;margin:6px 0;max-width:640px;font-size:13px'>"
            f"<div style='font-weight:bold;font-size:15px'>{e(self.title)}</div>"
            f"<div style='color:#555'>{self.size:,} customers ({self.share:.0%}) · stability {e(stab)}</div>"
            f"<div><b>Age:</b> {e(self.age_band)}</div>"
            f"<div><b>Channel:</b> {e(self.channel)}</div>"
            f"<div><b>Best support content:</b> {e(self.content)}</div>"
            + (f"<div><b>Needs:</b><ul style='margin:2px 0'>{needs}</ul></div>" if needs else "")
            + (
                f"<table style='font-size:12px'><tr><th style='text-align:left'>trait</th><th>segment</th>"
                f"<th>overall</th><th>z</th></tr>{rows}</table>"
                if rows
                else ""
            )
            + f"<div style='color:#D55E00'><b>Not supported by the data — do not add:</b>"
            f"<ul style='margin:2px 0'>{warns}</ul></div></div>"
        )


class PersonaCards(list):
    """A list of :class:`PersonaCard` that renders as cards in Jupyter and as text.

    Parameters
    ----------
    iterable : iterable of PersonaCard, optional
        The cards, in segment order.
    """

    def __str__(self) -> str:
        return "\n\n".join(str(c) for c in self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return "".join(c._repr_html_() for c in self)

    def table(self) -> pd.DataFrame:
        """One row per card: the headline fields.

        Returns
        -------
        DataFrame
            Indexed by segment.
        """
        return pd.DataFrame(
            [
                {
                    "segment": c.segment,
                    "alias": c.alias,
                    "name": c.name,
                    "size": c.size,
                    "share": round(c.share, 3),
                    "median_age": c.median_age,
                    "channel": c.channel,
                    "content": c.content_kind,
                    "stability": c.stability,
                }
                for c in self
            ]
        ).set_index("segment")

    def by_segment(self, segment: int) -> PersonaCard:
        """The card of one segment.

        Parameters
        ----------
        segment : int
            The segment number.

        Returns
        -------
        PersonaCard
        """
        for c in self:
            if c.segment == segment:
                return c
        raise CxError(f"no card for segment {segment}; segments are {[c.segment for c in self]}.")


def _content_choice(
    video_share: float, help_views: float, overall_help: float, phone_store_share: float | None
) -> tuple[str, str]:
    """Pick the support content from the numbers; returns (kind, sentence with evidence)."""
    low_self_service = help_views < 0.5 * overall_help
    if low_self_service and phone_store_share is not None and phone_store_share >= 0.5:
        return (
            "phone or store",
            f"a person on the phone or in a store: they open little self-service help "
            f"({help_views:.1f} views/month vs {overall_help:.1f} overall) and "
            f"{phone_store_share:.0%} of their contacts are by phone or in store",
        )
    if video_share >= 0.6:
        return ("video", f"video tutorials: {video_share:.0%} of their help views are videos")
    if video_share <= 0.4:
        return ("web page", f"step-by-step web pages: {1 - video_share:.0%} of their help views are articles")
    return ("mixed", f"no clear preference: {video_share:.0%} of their help views are videos")


def _trait(feat: str, zv: float, stats: dict, s, used: bool = True) -> Trait:
    label, hi, lo = FEATURE_WORDS[feat]
    med = feat == "age"
    seg = stats["seg_med"].at[s, feat] if med else stats["seg_mean"].at[s, feat]
    overall = stats["overall_med"][feat] if med else stats["overall_mean"][feat]
    return Trait(f"{hi if zv > 0 else lo}: {label}", feat, float(seg), float(overall), float(zv), used=used)


def _traits(s, zs: pd.Series, z_raw: pd.DataFrame, stats: dict, strong: float, moderate: float):
    """Traits (used features first, then the others that differ) and up to two name words."""
    traits: list[Trait] = []
    words: list[str] = []
    for feat, zv in zs.reindex(zs.abs().sort_values(ascending=False).index).items():
        if abs(zv) < moderate or feat not in stats["seg_med"].columns:
            continue
        traits.append(_trait(feat, zv, stats, s))
        if abs(zv) >= strong and len(words) < 2:
            words.append(FEATURE_WORDS[feat][1 if zv > 0 else 2])
    others = z_raw.loc[s].drop([c for c in zs.index if c in z_raw.columns])
    for feat, zv in others.reindex(others.abs().sort_values(ascending=False).index).items():
        if abs(zv) >= moderate:
            traits.append(_trait(feat, zv, stats, s, used=False))
    return traits, words


def _channel(members: pd.DataFrame) -> tuple[str, float | None]:
    """The preferred support channel in words, and the share of phone or store contact."""
    if "preferred_channel" in members.columns:
        pref = members["preferred_channel"].value_counts(normalize=True)
        pref_contact = pref.drop("none", errors="ignore")
        if len(pref_contact):
            top = pref_contact.index[0]
            channel = (
                f"{top} ({pref_contact.iloc[0]:.0%} of members prefer it; "
                f"{pref.get('none', 0):.0%} never contacted support)"
            )
        else:
            channel = "none: members never contacted support"
        return channel, float(pref.get("phone", 0) + pref.get("store", 0)) / max(1e-9, 1 - pref.get("none", 0))
    if "digital_contact_share" in members.columns:
        d = float(members["digital_contact_share"].mean())
        channel = f"chat/email ({d:.0%} of contacts)" if d >= 0.5 else f"phone/store ({1 - d:.0%} of contacts)"
        return channel, 1 - d
    return "unknown (no contact-channel data)", None


def _card_warnings(zs: pd.Series, j: float | None, moderate: float) -> list[str]:
    warnings = [
        f"any difference in {FEATURE_WORDS[f][0]}: z = {v:+.2f}, close to the average customer"
        for f, v in zs.items()
        if abs(v) < moderate / 2 and f in FEATURE_WORDS
    ]
    warnings += list(UNSUPPORTED_ALWAYS)
    if j is not None and j < 0.75:
        warnings.insert(
            0, f"that this segment is a real group: bootstrap Jaccard {j:.2f} < 0.75 ({_verdict(j)}, Hennig 2007)"
        )
    return warnings


def _unnamed(s, zs: pd.Series, moderate: float) -> str:
    """The name of a segment that no feature sets clearly apart (numbered, so two such segments differ)."""
    if len(zs) == 0:
        return f"segment {int(s)} (its features have no plain-language words: see its traits)"
    if (zs.abs() < moderate).all():
        return f"segment {int(s)}: close to the average customer on every feature"
    return f"segment {int(s)} (no feature differs strongly: see its traits)"


def _card(s, features, members, zs, z_raw, stats, age_column, strong, moderate, j, alias) -> PersonaCard:
    traits, words = _traits(s, zs, z_raw, stats, strong, moderate)
    if age_column in members.columns:
        q1, med, q3 = members[age_column].quantile([0.25, 0.5, 0.75])
        age_band, median_age = f"{q1:.0f}–{q3:.0f} (median {med:.0f}; middle half of members)", float(med)
    else:
        age_band, median_age = "unknown (no age column)", float("nan")
    channel, phone_store = _channel(members)
    kind, content = "unknown", "unknown (no help-content data)"
    if "video_share" in members.columns and "help_views_mean" in members.columns:
        kind, content = _content_choice(
            float(members["video_share"].mean()),
            float(members["help_views_mean"].mean()),
            float(features["help_views_mean"].mean()),
            phone_store,
        )
    needs = [
        f"{what}: {stats['seg_mean'].at[s, feat]:.2f}/month vs {stats['overall_mean'][feat]:.2f} overall"
        for feat, what in (("care_contacts_mean", "more support contacts"), ("complaints_mean", "more complaints"))
        if feat in z_raw.columns and z_raw.at[s, feat] >= moderate
    ]
    if kind in ("video", "web page", "phone or store"):
        needs.append(f"help as {kind} (see best support content)")
    return PersonaCard(
        segment=int(s),
        name=" · ".join(words) if words else _unnamed(s, zs, moderate),
        size=int(len(members)),
        share=len(members) / len(features),
        age_band=age_band,
        median_age=median_age,
        channel=channel,
        content=content,
        content_kind=kind,
        needs=needs,
        traits=traits,
        z={k: round(float(v), 3) for k, v in zs.items()},
        stability=j,
        warnings=_card_warnings(zs, j, moderate),
        alias=alias,
    )


@renamed_arguments(age="age_column")
def persona_cards(
    features: pd.DataFrame,
    labels: pd.Series | Sequence[int],
    *,
    z: pd.DataFrame | None = None,
    stability: StabilityResult | None = None,
    age_column: str = "age",
    strong: float = 0.5,
    moderate: float = 0.3,
    aliases: dict | None = None,
) -> PersonaCards:
    """Generate one persona card per segment, every trait backed by a number.

    Parameters
    ----------
    features : DataFrame
        The customer feature table (one row per customer), e.g. from
        :func:`customer_features`. Used columns when present: ``age``, ``video_share``,
        ``help_views_mean``, ``preferred_channel``, ``care_contacts_mean``, ``complaints_mean`` and the
        segmentation features.
    labels : Series or sequence
        Segment of each row of ``features``.
    z : DataFrame, optional
        Centroid z-scores (segments × features), e.g. ``Segmenter.centers_z_``. Default:
        standardised segment means of the numeric columns of :data:`FEATURE_WORDS`.
    stability : StabilityResult, optional
        Adds each segment's bootstrap Jaccard to its card.
    strong, moderate : float
        |z| needed for a feature to enter the name / the trait list.
    age_column : str, default "age"
        The age column (for the age band).
    aliases : dict, optional
        ``{segment: "Anne"}``: an illustrative first name; the card says it is fictional.

    Returns
    -------
    PersonaCards
        One :class:`PersonaCard` per segment, in segment order.

    Examples
    --------
    >>> f = pd.DataFrame({"age": [25, 27, 29, 55, 60, 58],
    ...     "video_share": [.8, .9, .85, .2, .1, .15], "help_views_mean": [3, 4, 5, 3, 4, 2]})
    >>> cards = persona_cards(f, [0, 0, 0, 1, 1, 1], aliases={0: "Anne"})
    >>> cards[0].name, cards[0].content_kind, cards[0].median_age
    ('video learners · younger', 'video', 27.0)
    >>> cards[1].content_kind
    'web page'
    """
    if not isinstance(features, pd.DataFrame):
        raise CxError("persona_cards: features must be a DataFrame (one row per customer).")
    labels = (
        pd.Series(np.asarray(labels), index=features.index, name="segment")
        if not isinstance(labels, pd.Series)
        else labels.reindex(features.index)
    )
    if len(labels) != len(features) or labels.isna().any():
        raise CxError(
            f"persona_cards: every row of `features` needs a segment label ({int(labels.isna().sum())} rows have none)."
        )
    if len(features) == 0:
        raise CxError("persona_cards: the feature table is empty.")
    num_cols = [c for c in features.columns if c in FEATURE_WORDS and pd.api.types.is_numeric_dtype(features[c])]
    num = features[num_cols]
    z_raw = (num.groupby(labels).mean() - num.mean()) / num.std(ddof=0).replace(0, 1.0)
    z = z_raw if z is None else z
    stats = {
        "overall_med": num.median(),
        "seg_med": num.groupby(labels).median(),
        "seg_mean": num.groupby(labels).mean(),
        "overall_mean": num.mean(),
    }
    jacc = stability.jaccard["jaccard"] if stability is not None else None
    aliases = aliases or {}
    cards = PersonaCards()
    for s in sorted(labels.unique()):
        zs = z.loc[s] if s in z.index else pd.Series(dtype=float)
        zs = zs[[c for c in zs.index if c in FEATURE_WORDS]] if len(zs) else zs
        j = float(jacc[s]) if jacc is not None and s in jacc.index else None
        members = features[labels == s]
        cards.append(_card(s, features, members, zs, z_raw, stats, age_column, strong, moderate, j, aliases.get(s)))
    return cards


def best_match(z: pd.DataFrame, direction: dict[str, int]) -> int:
    """The segment whose centroid best matches a description such as ``{"age": -1, "video_share": +1}``.

    Scores each segment by Σ sign·z over the named features and returns the best.

    Parameters
    ----------
    z : DataFrame
        Centroid z-scores, segments × features (e.g. ``Segmenter.centers_z_``).
    direction : dict
        Feature -> +1 (high) or -1 (low).

    Returns
    -------
    int
        The best-matching segment.

    Examples
    --------
    >>> z = pd.DataFrame({"age": [-1.0, 0.9], "video_share": [0.8, -0.7]})
    >>> best_match(z, {"age": -1, "video_share": +1}), best_match(z, {"age": +1, "video_share": -1})
    (0, 1)
    """
    require_columns(z, list(direction), "best_match")
    score = sum(np.sign(v) * z[c] for c, v in direction.items())
    return int(score.idxmax())


# ----------------------------------------------------------------------------------
# comparison and outcomes
# ----------------------------------------------------------------------------------
@dataclass
class SegmentComparison:
    """Agreement between two labellings of the same customers.

    Attributes
    ----------
    ari : float
        Adjusted Rand index of the two labellings (1 = the same, about 0 = chance).
    crosstab : pandas.DataFrame
        Customers by label of the first (rows) and of the second labelling (columns).
    n : int
        Customers compared.
    """

    ari: float
    crosstab: pd.DataFrame
    n: int

    def __repr__(self) -> str:
        return f"SegmentComparison(ARI={self.ari:.2f}, n={self.n})\n{self.crosstab}"

    def _repr_html_(self) -> str:
        return f"<p><b>Adjusted Rand index {self.ari:.2f}</b> (n = {self.n:,})</p>" + self.crosstab.to_html()


def compare_segments(
    found: pd.Series, other: pd.Series, *, names: tuple[str, str] = ("segment", "persona")
) -> SegmentComparison:
    """Adjusted Rand index and crosstab between two labellings (aligned on the index).

    Parameters
    ----------
    found, other : Series
        Two labellings of customers (e.g. segments and the true personas).
    names : (str, str)
        Their names in the crosstab.

    Returns
    -------
    SegmentComparison
        ``ari``, ``crosstab`` and ``n`` (customers in both).

    Examples
    --------
    >>> a = pd.Series([0, 0, 1, 1], index=list("wxyz")); b = pd.Series(["p", "p", "q", "q"], index=list("wxyz"))
    >>> compare_segments(a, b).ari
    1.0
    """
    from sklearn.metrics import adjusted_rand_score

    both = pd.concat([found.rename(names[0]), other.rename(names[1])], axis=1, join="inner").dropna()
    if len(both) == 0:
        raise CxError("compare_segments: the two labellings share no customers (check the index).")
    ari = float(adjusted_rand_score(both[names[0]], both[names[1]]))
    return SegmentComparison(ari=ari, crosstab=pd.crosstab(both[names[0]], both[names[1]]), n=len(both))


@alpha_becomes_level
def rate_by_segment(labels: pd.Series, outcome: pd.Series, *, level: float = 0.95) -> pd.DataFrame:
    """Rate of a 0/1 outcome per segment with a Wilson interval (aligned on the index).

    Rows whose outcome is missing are left out and counted in ``n_missing``.

    Parameters
    ----------
    labels : Series
        The segment of each customer.
    outcome : Series of 0/1
        The outcome of each customer (same index; blanks allowed).
    level : float, default 0.95
        Confidence level (0.1's ``alpha=0.05`` is ``level=0.95``).

    Returns
    -------
    DataFrame
        Indexed by segment: ``n``, ``events``, ``rate``, ``ci_low``, ``ci_high``, ``n_missing``.

    Examples
    --------
    >>> lab = pd.Series([0] * 10 + [1] * 10)
    >>> out = pd.Series([1] * 2 + [0] * 8 + [1] * 6 + [0] * 4)
    >>> rate_by_segment(lab, out).round(3)[["n", "rate", "ci_low", "ci_high"]]
              n  rate  ci_low  ci_high
    segment
    0        10   0.2   0.057    0.510
    1        10   0.6   0.313    0.832
    """
    both = pd.concat([labels.rename("segment"), outcome.rename("y")], axis=1, join="inner")
    if len(both) == 0:
        raise CxError("rate_by_segment: labels and outcome share no index values.")
    y = both["y"].dropna()
    bad = ~y.isin([0, 1, True, False])
    if bad.any():
        raise ValidationError(
            [
                Problem(
                    "outcome is not 0/1",
                    column=str(outcome.name),
                    count=int(bad.sum()),
                    values=tuple(y[bad].head(5).tolist()),
                    fix="Code the outcome as 1 (happened) or 0 (did not).",
                )
            ],
            source="rate_by_segment",
        )
    miss = both["y"].isna().groupby(both["segment"]).sum()
    g = both.dropna(subset=["y"]).groupby("segment")["y"]
    k, n = g.sum().astype(int), g.size()
    lo, hi = wilson_interval(k.to_numpy(), n.to_numpy(), level=check_level(level))
    return pd.DataFrame(
        {
            "n": n,
            "events": k,
            "rate": k / n,
            "ci_low": lo,
            "ci_high": hi,
            "n_missing": miss.reindex(n.index).astype(int),
        }
    )
