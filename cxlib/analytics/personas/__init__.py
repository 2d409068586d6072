"""Personas from data: RFM scores, customer segmentation, stability and persona cards.

* :mod:`~cxlib.analytics.personas.rfm` — recency / frequency / monetary scores.
* :mod:`~cxlib.analytics.personas.segmentation` — :class:`Segmenter` (scaling,
  k-means, k chosen by silhouette, bootstrap stability).
* :mod:`~cxlib.analytics.personas.cards` — one card per segment, every trait tied
  to a number, plus agreement with another labelling and outcomes per segment.

The behavioural features come from :func:`cxlib.features.customer_features`.
"""

from cxlib.analytics.personas.cards import (
    FEATURE_WORDS,
    UNSUPPORTED_ALWAYS,
    PersonaCard,
    PersonaCards,
    SegmentComparison,
    Trait,
    best_match,
    compare_segments,
    persona_cards,
    rate_by_segment,
)
from cxlib.analytics.personas.rfm import rfm, rfm_segment
from cxlib.analytics.personas.segmentation import Segmenter, StabilityResult, choose_k, stability

__all__ = [
    "rfm",
    "rfm_segment",
    "Segmenter",
    "StabilityResult",
    "choose_k",
    "stability",
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
