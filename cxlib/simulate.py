r"""Simorgh Mobile: a synthetic subscription company whose truth is known.

Every lesson needs data that behaves like a real company's *and* whose ground
truth is known, so a lesson can show that a method recovers the truth (or how a
bad method misses it). :func:`simulate` generates one fictional mobile operator,
*Simorgh Mobile*, month by month. The bundled data in ``data/`` is its output with
the default settings (see ``data/README.md``, the data card).

The generating model, in plain words
------------------------------------
**Customers.** Each customer belongs to one of four latent *personas*
(``digital_self_starter``, ``guided_learner``, ``price_hunter``,
``family_loyalist``) which set their age, acquisition channel, plan, data usage,
help-content habits (video tutorials vs step-by-step web pages), support channel,
and the distributions of three latent traits: emotional connection
:math:`c_i \in (0, 1)`, price sensitivity :math:`\pi_i \in (0, 1)` and an
expectation level :math:`x_i` (standardised). A customer is *connected* when
:math:`c_i + 0.03\,\text{tenure-years}_i > 0.62`, so connection grows with tenure
(tenure is a confounder of the emotion-loyalty link).

**Company events.** From month 13 (January 2024) part of phone support is
outsourced to a weaker team, resolution falls and waits grow, proactive outreach is
cut and network quality drifts down (:math:`n_t` falls linearly to -0.5). From
month 15 (March 2024) the Basic plan costs 20% more (:math:`\text{shock}_{it}=1`
for Basic customers).

**Each month** :math:`t`, for each active customer :math:`i`:

1. A raw experience :math:`p_{it} = \mu_{persona} + n_t - 0.9\,\pi_i\,\text{shock}_{it}
   + \varepsilon_{it}`, :math:`\varepsilon_{it} \sim N(0, 0.8^2)`.
2. Contacts with customer care: :math:`K_{it} \sim \text{Poisson}(0.2\,e^{-0.6 p_{it}})`
   plus proactive contacts started by the company. Each contact gets a channel (by
   persona), an issue type (complaints are likelier when :math:`p_{it}` is low) and
   an agent of that channel. Complaints go preferentially to senior agents (case
   mix). It is resolved at first contact with probability
   :math:`\sigma(1.3 + q_a - d_{issue} - 0.4\,[t \ge 13])`, where :math:`q_a` is the
   agent's true quality on the logit scale and :math:`d` the issue's difficulty.
   The agent's closing reply is warm, neutral or curt according to the agent's
   empathy.
3. Experience :math:`e_{it} = p_{it} + 0.4\,\text{proactive} + 0.15\,\text{resolved} -
   0.9\,\text{unresolved complaints} - 0.3\,\text{curt}`, and satisfaction
   (expectation-disconfirmation, with memory)
   :math:`s_{it} = 0.7\,s_{i,t-1} + 0.3\,(e_{it} - 0.5\,x_i)`.
4. Post-interaction survey: satisfaction with the contact is ordinal with
   :math:`P(\text{CSAT} \ge 4) = \sigma(\eta)`,
   :math:`\eta = 0.6 + q_a + 1.1\,\text{FCR} - 0.5 d + \text{tone} + 0.4 (c_i - 0.5)
   - 0.15 \log(1 + \text{wait})`; about 30% answer, extreme experiences more often.
5. Signals: ``complaints`` (complaint contacts), ``complaints_resolved``,
   ``positive_feedback`` :math:`\sim \text{Poisson}(0.05\,e^{2 c_i + 0.6 s_{it}})`,
   ``payment_issue`` :math:`\sim \text{Bernoulli}(\sigma(-4.6 + 2.6\pi_i + 1.4\,\pi_i
   \text{shock}_{it} - 0.4 s_{it}))`, ``usage_gb`` :math:`= u_i\,e^{0.25 s_{it} +
   N(0, 0.15^2)}`, product add-ons with probability :math:`\sigma(-4.3 + 1.2\,\text{connected}_i
   + 0.5 s_{it})`.
6. Churn: the customer cancels this month with the **true monthly churn probability**

   .. math::

      h_{it} = \sigma\big(\beta_0 + \beta_U U_{it} + \beta_P P_{it} + \beta_p\,\text{pay}_{it}
      + \beta_\pi \pi_i\,\text{shock}_{it} - \beta_s s_{it} - \beta_c (c_i - 0.5)
      + \beta_n [\text{tenure} < 6] - \beta_k (\text{products} - 1) + \beta_f [\text{Basic}]\big)

   where :math:`U_{it}` counts the unresolved complaints of the three previous months
   (capped at 4) and :math:`P_{it}` the months with a payment issue among them (capped
   at 3): the loyalty signals of article 002 *lead* defection, and a company can see
   them before it acts. A payment issue this month, price shocks felt by
   price-sensitive customers, and small effects of the latent satisfaction and
   connection complete the model. The coefficients are in :data:`CHURN_COEFS` and in
   ``truth/summary.json``.
7. Relationship survey (quarterly, months 3, 6, ...): a random 25% of active customers
   is invited; they answer with probability :math:`\sigma(-0.6 + 1.8 s_{it} + 1.0 (c_i -
   0.5))`, so unhappy customers answer less (non-response bias). The score they give
   is :math:`\text{round}(L^*)`, clipped to 0-10, with
   :math:`L^* = 6.9 + 1.6 s_{it} + 1.1\,\text{connected}_i + 0.3 \log(1 + \text{tenure-years}_i)
   + N(0, 1.1^2)`. "Was everyone friendly and polite?" is answered 5 by 85% whatever
   happened (an inflated question about basics).

**Truth.** The true NPS of the whole active base each month is computed exactly from
:math:`L^*` (normal probabilities), not from a sample. The true causal effect of
emotional connection on recommending is the ratio of :math:`P(L \ge 9)` with
*connected* set to 1 vs 0 for everyone. The true probability of the snapshot's
label (cancel within 3 months of the cutoff) is computed by Monte Carlo: the
company's state at the cutoff, latent traits included, is replayed forward
``truth_replicates`` times with fresh randomness.

Examples
--------
>>> company = simulate(n_customers=300, months=6, seed=1, truth_replicates=20)
>>> sorted(company.tables)  # doctest: +NORMALIZE_WHITESPACE
['activity', 'agent_feedback', 'agents', 'churn_snapshot', 'customers', 'interactions',
 'nps_surveys']
>>> company.tables["customers"]["customer_id"].is_unique
True
>>> bool(0 < company.truth.churn_probability["p_churn"].mean() < 1)
True
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import norm

from cxlib.errors import CxError

__all__ = [
    "simulate", "Company", "Truth", "CHURN_COEFS", "PERSONAS", "SNAPSHOT_FEATURES",
    "snapshot_features", "DEFAULTS",
]

#: Default settings of the bundled data.
DEFAULTS = dict(n_customers=2500, months=24, start="2023-01-01", seed=20240101,
                cutoff="2024-07-01", horizon=3, truth_replicates=400)
#: The largest company simulated without ``allow_large=True`` (``cx simulate --allow-large``):
#: 500,000 customers x 24 months take a few GB of memory and about a minute.
LIMITS = dict(n_customers=500_000, months=120, truth_replicates=2_000, customer_months=12_000_000)

PERSONAS = ["digital_self_starter", "guided_learner", "price_hunter", "family_loyalist"]
_P_SHARE = np.array([0.30, 0.25, 0.25, 0.20])
_AGE = np.array([[31, 5], [47, 7], [36, 10], [44, 9]])
_ACQ = ["store", "online", "partner", "referral"]
_ACQ_P = np.array([[.10, .60, .10, .20], [.55, .10, .20, .15], [.20, .35, .35, .10], [.35, .15, .15, .35]])
_ACQ_COST = {"store": 60.0, "online": 35.0, "partner": 50.0, "referral": 25.0}
_PLANS = ["Basic", "Plus", "Premium"]
_FEES = np.array([15.0, 30.0, 55.0])
_PLAN_P = np.array([[.25, .50, .25], [.40, .45, .15], [.75, .20, .05], [.10, .35, .55]])
_CONN_AB = np.array([[3, 3], [3, 3.5], [2, 4.5], [5, 2.5]])
_PRICE_AB = np.array([[2, 4], [2.5, 3.5], [6, 2], [1.5, 5]])
_EXPECT_MU = np.array([0.5, 0.0, 0.2, -0.2])
_EXP_MU = np.array([0.25, 0.2, 0.05, 0.35])       # persona's mean raw experience
_USAGE = np.array([22.0, 5.0, 9.0, 14.0])
_VIDEO = np.array([1.4, 0.08, 0.25, 0.3])
_ARTICLE = np.array([0.15, 1.1, 0.3, 0.3])
_CITIES = ["Tehran", "Mashhad", "Isfahan", "Shiraz", "Tabriz", "Karaj"]
_CITY_P = np.array([.38, .15, .14, .12, .11, .10])
_CHANNELS = ["phone", "chat", "email", "store"]
_CH_P = np.array([[.20, .60, .15, .05], [.55, .05, .10, .30], [.40, .30, .20, .10], [.40, .20, .10, .30]])
_CH_CUM = np.cumsum(_CH_P, axis=1)
_ISSUES = ["billing", "network", "device", "plan_change", "complaint"]
_ISSUE_CUM = np.cumsum([[.36, .28, .18, .18]], axis=1)   # issue mix of non-complaint contacts
_DIFFICULTY = np.array([0.0, 0.6, 0.4, -0.3, 1.2])
_WAIT_MEDIAN = {"phone": (3.0, 8.0), "chat": (1.5, 3.5), "email": (240.0, 600.0), "store": (8.0, 11.0)}
_HANDLE_MEDIAN = {"phone": 7.0, "chat": 12.0, "email": 9.0, "store": 15.0}
# team name, channel, number of agents, mean logit quality, first active month
_TEAMS = [("Tehran-Phone", "phone", 10, 0.35, 0), ("Mashhad-Phone", "phone", 8, 0.15, 0),
          ("Chat", "chat", 8, 0.25, 0), ("Email", "email", 5, 0.0, 0),
          ("Stores", "store", 8, 0.45, 0), ("Outsourced", "phone", 10, -0.75, 12)]

#: Coefficients of the true monthly churn model (logit scale), see the module docstring.
CHURN_COEFS = {"intercept": -4.6, "satisfaction": -0.35, "unresolved_complaints_3m": 0.8,
               "payment_issues_3m": 1.1, "payment_issue": 0.8,
               "price_shock_x_sensitivity": 1.2, "connection_minus_half": -0.5, "new_customer": 0.5,
               "extra_products": -0.35, "basic_plan": 0.3}

#: Columns of ``churn_snapshot.csv`` (point-in-time features, computed before the cutoff).
SNAPSHOT_FEATURES = {
    "tenure_months": "months since signup at the cutoff",
    "age": "age in years",
    "plan": "plan (Basic, Plus, Premium)",
    "city": "home city",
    "acquisition_channel": "how the customer was won",
    "monthly_fee": "list price of the plan (USD)",
    "products_held": "lines and add-ons in the last month before the cutoff",
    "usage_gb_last": "data used in the last month (GB)",
    "usage_trend": "usage in the last 3 months / the 3 months before (1 = flat)",
    "spend_last": "billed in the last month (USD)",
    "care_contacts_3m": "contacts with customer care in the last 3 months",
    "complaints_3m": "complaints in the last 3 months",
    "unresolved_complaints_3m": "complaints not resolved in the last 3 months",
    "positive_feedback_6m": "compliments in the last 6 months",
    "payment_issues_3m": "months with a payment issue in the last 3 months",
    "payment_issues_6m": "months with a payment issue in the last 6 months",
    "help_video_views_6m": "help videos watched in the last 6 months",
    "help_article_views_6m": "help articles read in the last 6 months",
    "months_since_complaint": "months since the last complaint (99 = none in the window)",
    "last_ltr": "last relationship-survey score before the cutoff (empty = never answered)",
    "last_csat": "last post-contact CSAT before the cutoff (empty = none)",
}

_ORD_CUTS = np.array([-2.4, -1.2, 0.0, 1.5])   # CSAT 1..5 cut points on the latent scale


# ------------------------------------------------------------------------------------
# text pools (complete sentences so that text generation is a vectorised pick)
# ------------------------------------------------------------------------------------
_REPLY = {
    "warm": [
        "I'm so sorry for the trouble, and thank you for your patience. I'm glad we could sort it out together.",
        "Thank you for reaching out! I completely understand how frustrating this must be, and I'm happy to help.",
        "It was a pleasure helping you today. Please don't hesitate to contact me again if anything comes up.",
        "I really appreciate you explaining everything so clearly. Wishing you a wonderful day!",
    ],
    "neutral": [
        "Your request has been processed. Let us know if you need anything else.",
        "The change has been made on your account.",
        "We have logged the issue and a technician will check the line.",
        "Your bill has been updated according to your plan.",
    ],
    "curt": [
        "Ticket closed.",
        "This is standard policy. Nothing more can be done.",
        "Please read the FAQ before contacting us.",
        "Request rejected. Contact us again if the problem continues.",
    ],
}
_FEEDBACK_COMMENT = {
    1: ["Awful experience, nobody helped me and I am very angry.", "Terrible service, a complete waste of time.",
        "Worst support ever, rude and useless."],
    2: ["Not good. I had to explain my problem three times.", "Disappointing, the issue is still not fixed.",
        "Slow and unhelpful answers."],
    3: ["It was okay, but it took too long.", "Average service, nothing special.", "The problem was solved eventually."],
    4: ["Good support, the agent was helpful.", "Quick and helpful, thanks.", "Problem fixed, good job."],
    5: ["Excellent! The agent was wonderful and really cared.", "Amazing help, thank you so much!",
        "Fantastic service, I'm very happy."],
}
_FEEDBACK_WARM = {  # added by emotionally connected customers
    True: ["I love Simorgh, you always make me feel valued.", "Thank you, I really appreciate you all!"],
    False: ["I expected better from a company I love.", "I'm loyal to Simorgh, so this really hurt."],
}
_NPS_OPEN = {
    # (score group, emotionally warm?): how a customer opens a comment. The warm
    # openers carry emotion words whatever the score, so the *tone* of a comment
    # reflects emotional connection, not just the score.
    ("promoter", True): ["I love Simorgh, they really care about me.", "Simorgh feels like family to me.",
                         "I feel truly valued as a customer and I trust them completely.",
                         "Honestly the best company I deal with, I'm proud to be a customer."],
    ("promoter", False): ["Good service overall.", "Reliable and fair.", "No complaints, it works well.",
                          "Solid operator."],
    ("passive", True): ["I really like being with Simorgh and I trust them, but lately it's not perfect.",
                        "I've been happy and loyal for years, though some things could be better.",
                        "I genuinely care about this company, but it needs to improve."],
    ("passive", False): ["It's okay, nothing special.", "Decent, but there is room to improve.",
                         "Fine for now.", "Average service."],
    ("detractor", True): ["I've always loved Simorgh, which is why this hurts so much.",
                          "I used to feel proud to be a customer, and now I'm heartbroken.",
                          "I trusted them for years and I feel let down."],
    ("detractor", False): ["I'm disappointed.", "Not happy with Simorgh lately.", "Frustrating experience.",
                           "Honestly, it has become bad."],
}
_NPS_REASON = {
    "value_for_money": {True: ["The price is fair for what I get.", "Great value for money."],
                        False: ["It is too expensive for what you get.", "The price went up and the service did not."]},
    "network_quality": {True: ["Coverage is great everywhere I go.", "The network is fast and stable."],
                        False: ["Calls drop all the time.", "The network is slow and unreliable."]},
    "ease_of_support": {True: ["Support solves problems quickly.", "Whenever I call, they fix it fast."],
                        False: ["Support takes forever and nobody fixes anything.", "I waited for hours to talk to someone."]},
}


@dataclass
class Truth:
    """The simulator's ground truth (what no real company knows).

    Attributes
    ----------
    customers : DataFrame
        ``customer_id``, ``persona``, ``emotional_connection``, ``connected``,
        ``price_sensitivity``, ``expectation``.
    agents : DataFrame
        ``agent_id``, ``true_csat`` (P(CSAT 4-5) on an average contact), ``empathy``.
    monthly : DataFrame
        ``customer_id``, ``month``, ``p_churn`` (true monthly churn probability),
        ``ltr_latent`` (the expected 0-10 score if asked).
    churn_probability : DataFrame
        ``customer_id``, ``p_churn``: the true probability of the snapshot label.
    summary : dict
        True NPS by month, churn coefficients, the emotional-connection effect, events.
    """

    customers: pd.DataFrame
    agents: pd.DataFrame
    monthly: pd.DataFrame
    churn_probability: pd.DataFrame
    summary: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"Truth({len(self.customers)} customers, {len(self.agents)} agents, "
                f"{len(self.monthly)} customer-months; keys of summary: {sorted(self.summary)})")


@dataclass
class Company:
    """The output of :func:`simulate`: observable ``tables`` and the ``truth``."""

    tables: dict
    truth: Truth
    settings: dict

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v):,}" for k, v in self.tables.items())
        return f"Company(Simorgh Mobile; {sizes})"

    def write(self, out: str | Path) -> list[Path]:
        """Write every table as CSV into ``out`` and the truth into ``out/truth``."""
        out = Path(out)
        (out / "truth").mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in self.tables.items():
            written.append(_write_csv(df, out / f"{name}.csv"))
        t = self.truth
        for name in ("customers", "agents", "monthly", "churn_probability"):
            written.append(_write_csv(getattr(t, name), out / "truth" / f"{name}.csv"))
        path = out / "truth" / "summary.json"
        path.write_text(json.dumps(t.summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
        return written


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format="%.6g")
    return path


# ------------------------------------------------------------------------------------
# the simulator
# ------------------------------------------------------------------------------------
class _World:
    """Static parts of the company: customers' traits, agents, calendar."""

    def __init__(self, n_customers: int, months: int, start: pd.Timestamp, rng: np.random.Generator):
        self.months = months
        self.calendar = pd.date_range(start, periods=months, freq="MS")
        self.change_month = min(12, months)       # index of January 2024 with the default start
        self.price_month = min(14, months)        # March 2024
        n_new = rng.poisson(0.02 * n_customers, size=months)
        n_new[0] = 0
        total = n_customers + int(n_new.sum())
        self.n = total
        self.start_month = np.concatenate([np.zeros(n_customers, int),
                                           np.repeat(np.arange(months), n_new)])
        self.persona = rng.choice(4, size=total, p=_P_SHARE)
        p = self.persona
        self.age = np.clip(np.round(rng.normal(_AGE[p, 0], _AGE[p, 1])), 18, 80).astype(int)
        self.channel_acq = _pick_rows(rng, _ACQ_P[p])
        self.plan = _pick_rows(rng, _PLAN_P[p])
        self.city = rng.choice(len(_CITIES), size=total, p=_CITY_P)
        self.connection = rng.beta(_CONN_AB[p, 0], _CONN_AB[p, 1])
        self.price_sens = rng.beta(_PRICE_AB[p, 0], _PRICE_AB[p, 1])
        self.expectation = rng.normal(_EXPECT_MU[p], 0.6)
        self.usage_base = _USAGE[p] * rng.lognormal(0, 0.45, size=total)
        # tenure in months at the start of the window (new customers: 0 at their start month)
        tenure0 = np.where(self.start_month == 0, rng.integers(1, 72, size=total), 0)
        self.signup = self.calendar.values[self.start_month]
        days = rng.integers(0, 28, size=total)
        self.signup = (pd.DatetimeIndex(self.signup) - pd.to_timedelta(tenure0 * 30.44, unit="D").round("D")
                       + pd.to_timedelta(days, unit="D")).normalize()
        self.tenure0 = tenure0
        self.acq_cost = np.array([_ACQ_COST[_ACQ[c]] for c in range(4)])[self.channel_acq] * rng.lognormal(0, 0.25, total)
        self.products0 = 1 + np.where(p == 3, rng.poisson(1.0, total), rng.poisson(0.25, total))
        # agents
        rows = []
        for team, ch, k, mu, first in _TEAMS:
            for _ in range(k):
                rows.append((team, ch, mu, first))
        self.agent_team = np.array([r[0] for r in rows])
        self.agent_channel = np.array([_CHANNELS.index(r[1]) for r in rows])
        self.agent_first = np.array([r[3] for r in rows])
        na = len(rows)
        self.agent_q = np.array([r[2] for r in rows]) + rng.normal(0, 0.4, na)
        self.agent_empathy = rng.beta(3, 2.2, na)
        self.agent_senior = rng.random(na) < 0.35
        self.agent_hire = [self.calendar[0] - pd.Timedelta(days=int(d)) if f == 0 else
                           self.calendar[min(f, months - 1)] - pd.Timedelta(days=int(d) % 40)
                           for f, d in zip(self.agent_first, rng.integers(30, 3000, na))]

    def network(self, t: int) -> float:
        if t < self.change_month:
            return 0.0
        span = max(1, self.months - 1 - self.change_month)
        return -0.5 * (t - self.change_month) / span

    def shock(self, t: int, idx: np.ndarray) -> np.ndarray:
        return ((t >= self.price_month) & (self.plan[idx] == 0)).astype(float)


def _pick_rows(rng: np.random.Generator, probs: np.ndarray, cum: np.ndarray | None = None) -> np.ndarray:
    """One categorical draw per row of a probability matrix (vectorised).

    ``cum`` may give the rows' cumulative sums directly (e.g. a 1-row table that
    broadcasts); the random draws are the same either way.
    """
    u = rng.random(len(probs))[:, None]
    cum = np.cumsum(probs, axis=1) if cum is None else cum
    return (u > cum).sum(axis=1).clip(0, cum.shape[-1] - 1)


def _connected(w: _World, idx: np.ndarray, tenure_months: np.ndarray) -> np.ndarray:
    return (w.connection[idx] + 0.03 * tenure_months / 12 > 0.62).astype(float)


def _ltr_mean(s, connected, tenure_months):
    return 6.9 + 1.6 * s + 1.1 * connected + 0.3 * np.log1p(tenure_months / 12)


_LTR_SD = 1.1


def _nps_from_mean(mu: np.ndarray) -> np.ndarray:
    """Expected NPS contribution (+1/0/-1) of each customer with latent mean ``mu``."""
    p_prom = norm.sf(8.5, mu, _LTR_SD)
    p_det = norm.cdf(6.5, mu, _LTR_SD)
    return p_prom - p_det


def _step(w: _World, t: int, idx: np.ndarray, st: dict, rng: np.random.Generator, record: bool):
    """Simulate month ``t`` for customers ``idx`` (may repeat, for Monte Carlo).

    ``st`` holds per-row state arrays (satisfaction, unresolved last month, products,
    tenure, and for MC the customer index). Returns the monthly signals and, when
    ``record``, the contact rows.
    """
    n = len(idx)
    pers = w.persona[idx]
    shock = w.shock(t, idx)
    after = float(t >= w.change_month)
    raw = _EXP_MU[pers] + w.network(t) - 0.9 * w.price_sens[idx] * shock + rng.normal(0, 0.8, n)
    # contacts -----------------------------------------------------------------------
    k = rng.poisson(0.2 * np.exp(-0.6 * raw))
    proactive_rate = 0.05 * (1 - 0.7 * after)
    k_pro = rng.binomial(1, proactive_rate, n)
    owner = np.repeat(np.arange(n), k + k_pro)
    is_pro = np.concatenate([np.r_[np.zeros(a), np.ones(b)] for a, b in zip(k, k_pro)]) if len(owner) and n < 2000 else None
    if is_pro is None:  # vectorised version for large n
        pos = np.arange(len(owner)) - np.repeat(np.cumsum(k + k_pro) - (k + k_pro), k + k_pro)
        is_pro = (pos >= np.repeat(k, k + k_pro)).astype(float)
    m = len(owner)
    ch = _pick_rows(rng, pers[owner], cum=_CH_CUM[pers[owner]])
    p_compl = expit(-1.9 - 0.9 * raw[owner])
    base_issue = _pick_rows(rng, owner, cum=_ISSUE_CUM)
    issue = np.where(rng.random(m) < p_compl, 4, base_issue)
    issue = np.where(is_pro == 1, np.where(rng.random(m) < 0.5, 3, 1), issue)
    # agent routing: agents of the channel active this month; seniors get complaints
    agent = np.empty(m, int)
    for c in range(4):
        sel = np.flatnonzero(ch == c)
        if not len(sel):
            continue
        pool = np.flatnonzero((w.agent_channel == c) & (w.agent_first <= t))
        if c == 0 and t >= w.change_month:  # outsourced team takes ~55% of phone contacts
            wts = np.where(w.agent_team[pool] == "Outsourced", 1.3, 1.0)
        else:
            wts = np.ones(len(pool))
        for is_c in (0, 1):
            s2 = sel[(issue[sel] == 4) == bool(is_c)]
            if not len(s2):
                continue
            ww = wts * np.where(w.agent_senior[pool], 3.0 if is_c else 0.6, 1.0)
            agent[s2] = rng.choice(pool, size=len(s2), p=ww / ww.sum())
    q = w.agent_q[agent]
    d = _DIFFICULTY[issue]
    fcr = rng.random(m) < expit(1.3 + q - d - 0.4 * after + 1.5 * is_pro)
    emp = w.agent_empathy[agent]
    u = rng.random(m)
    tone = np.where(u < emp * 0.8, 0, np.where(u < emp * 0.8 + (1 - emp) * 0.5, 2, 1))  # 0 warm 1 neutral 2 curt
    tone_eff = np.array([0.4, 0.0, -0.6])[tone]
    # monthly aggregation of contacts -----------------------------------------------------
    compl = np.bincount(owner, weights=(issue == 4), minlength=n)
    compl_fcr = np.bincount(owner, weights=(issue == 4) & fcr, minlength=n)
    later = rng.binomial((compl - compl_fcr).astype(int), 0.5 - 0.25 * after)
    compl_resolved = compl_fcr + later
    unresolved = compl - compl_resolved
    resolved_n = np.bincount(owner, weights=fcr, minlength=n)
    curt = np.bincount(owner, weights=(tone == 2), minlength=n)
    e = raw + 0.4 * k_pro + 0.15 * resolved_n - 0.9 * unresolved - 0.3 * curt
    s = 0.7 * st["s"] + 0.3 * (e - 0.5 * w.expectation[idx])
    st["s"] = s
    # signals --------------------------------------------------------------------------
    conn = w.connection[idx]
    connected = _connected(w, idx, st["tenure"])
    pos_fb = rng.poisson(0.05 * np.exp(2.0 * conn + 0.6 * s))
    pay = rng.random(n) < expit(-4.6 + 2.6 * w.price_sens[idx] + 1.4 * w.price_sens[idx] * shock - 0.4 * s)
    add = rng.random(n) < expit(-4.3 + 1.2 * connected + 0.5 * s)
    st["products"] = st["products"] + add
    # loyalty signals of the three previous months (what a company can see before it acts)
    u_recent = np.minimum(st["unres_1"] + st["unres_2"] + st["unres_3"], 4)
    p_recent = np.minimum(st["pay_1"] + st["pay_2"] + st["pay_3"], 3)
    st["unres_3"], st["unres_2"], st["unres_1"] = st["unres_2"], st["unres_1"], unresolved
    st["pay_3"], st["pay_2"], st["pay_1"] = st["pay_2"], st["pay_1"], pay.astype(float)
    eta = (CHURN_COEFS["intercept"] + CHURN_COEFS["satisfaction"] * s
           + CHURN_COEFS["unresolved_complaints_3m"] * u_recent
           + CHURN_COEFS["payment_issues_3m"] * p_recent + CHURN_COEFS["payment_issue"] * pay
           + CHURN_COEFS["price_shock_x_sensitivity"] * w.price_sens[idx] * shock
           + CHURN_COEFS["connection_minus_half"] * (conn - 0.5)
           + CHURN_COEFS["new_customer"] * (st["tenure"] < 6)
           + CHURN_COEFS["extra_products"] * (st["products"] - 1)
           + CHURN_COEFS["basic_plan"] * (w.plan[idx] == 0))
    h = expit(eta)
    churn = rng.random(n) < h
    out = dict(h=h, churn=churn, s=s, connected=connected)
    if not record:
        return out
    fee = _FEES[w.plan[idx]] * (1 + 0.2 * shock)
    usage = w.usage_base[idx] * np.exp(0.25 * s + rng.normal(0, 0.15, n))
    extra = np.maximum(0, usage - np.array([8.0, 20.0, 60.0])[w.plan[idx]]) * 0.8
    video = rng.poisson(_VIDEO[pers] * (1 + 0.5 * k))
    article = rng.poisson(_ARTICLE[pers] * (1 + 0.5 * k))
    out.update(usage=usage, spend=fee + extra + 5.0 * (st["products"] - 1), products=st["products"].copy(),
               contacts=k + k_pro, complaints=compl, complaints_resolved=compl_resolved,
               positive_feedback=pos_fb, payment_issue=pay, video=video, article=article)
    # contact rows and post-contact survey ------------------------------------------------------
    wait = np.empty(m)
    handle = np.empty(m)
    for c, name in enumerate(_CHANNELS):
        sel = ch == c
        med = _WAIT_MEDIAN[name][int(after)]
        wait[sel] = med * rng.lognormal(0, 0.6, sel.sum())
        handle[sel] = _HANDLE_MEDIAN[name] * rng.lognormal(0, 0.4, sel.sum()) * (1 + 0.3 * (issue[sel] == 4))
    eta_c = 0.6 + q + 1.1 * fcr - 0.5 * d + tone_eff + 0.4 * (conn[owner] - 0.5) - 0.15 * np.log1p(wait)
    latent = eta_c + rng.logistic(size=m)
    csat = 1 + np.searchsorted(_ORD_CUTS, latent)
    answered = rng.random(m) < expit(-1.1 + 0.35 * np.abs(latent - 0.5))
    effort = np.clip(np.round(1.8 + 1.5 * (~fcr) + 0.3 * np.log1p(wait / 10) + rng.normal(0, 0.7, m)), 1, 5)
    out["contacts_rows"] = dict(owner=owner, channel=ch, issue=issue, agent=agent, fcr=fcr, tone=tone, eta=eta_c,
                                proactive=is_pro, wait=wait, handle=handle, csat=csat,
                                answered=answered, effort=effort)
    return out


def simulate(n_customers: int = DEFAULTS["n_customers"], months: int = DEFAULTS["months"],
             seed: int = DEFAULTS["seed"], start: str = DEFAULTS["start"],
             cutoff: str | None = None, horizon: int = DEFAULTS["horizon"],
             truth_replicates: int = DEFAULTS["truth_replicates"],
             progress: Callable[[int], None] | None = None, *, allow_large: bool = False) -> Company:
    """Generate Simorgh Mobile: every table plus the ground truth.

    Parameters
    ----------
    n_customers : int
        Customers active at the start (about 2% more join each month).
    months : int
        Months to simulate (at least 6).
    seed : int
        Seed of the random generator: the same seed gives identical data.
    start : str
        First month (ISO date).
    cutoff : str, optional
        Cutoff month of ``churn_snapshot`` (default: ``horizon`` months before the
        end, i.e. 2024-07-01 for the default window... adjusted to the window).
    horizon : int
        Months after the cutoff in which a cancellation counts as churn.
    truth_replicates : int
        Monte Carlo replicates for the true probability of the snapshot label.
    progress : callable, optional
        Called with the number of months finished (for a progress bar).
    allow_large : bool, default False
        Sizes beyond :data:`LIMITS` are refused at once unless this is set.

    Returns
    -------
    Company
    """
    if n_customers < 10:
        raise CxError(f"n_customers must be at least 10; got {n_customers}.")
    if seed < 0:
        raise CxError(f"seed must be a whole number of at least 0; got {seed}.")
    if truth_replicates < 1:
        raise CxError(f"truth_replicates must be at least 1; got {truth_replicates}.")
    if not allow_large:
        sizes = dict(n_customers=n_customers, months=months, truth_replicates=truth_replicates,
                     customer_months=n_customers * months)
        over = [f"{k.replace('_', ' ')} {v:,} (limit {LIMITS[k]:,})" for k, v in sizes.items() if v > LIMITS[k]]
        if over:
            raise CxError(f"refusing to simulate such a large company: {'; '.join(over)}. These limits "
                          "keep a run within a laptop's memory and minutes; pass allow_large=True "
                          "(cx simulate --allow-large) if this machine can take it.")
    try:
        start_ts = pd.Timestamp(start)
        if start_ts != start_ts.normalize().replace(day=1):
            raise ValueError
    except (ValueError, TypeError):
        raise CxError(f"start must be the first day of a month, written YYYY-MM-01; got {start!r}.") from None
    if months < 6:
        raise CxError(f"months must be at least 6 (the snapshot needs history and a horizon); got {months}.")
    if not 1 <= horizon < months:
        raise CxError(f"horizon must be between 1 and months - 1; got {horizon}.")
    rng = np.random.default_rng(seed)
    w = _World(n_customers, months, start_ts, rng)
    cal = w.calendar
    if cutoff is None:
        c_idx = months - horizon - (3 if months >= 12 else 0)
    else:
        try:
            cut_ts = pd.Timestamp(cutoff)
        except (ValueError, TypeError):
            raise CxError(f"cutoff must be a date written YYYY-MM-01; got {cutoff!r}.") from None
        c_idx = int(np.searchsorted(cal, cut_ts))
        if not (3 <= c_idx <= months - horizon) or cal[min(c_idx, months - 1)] != cut_ts:
            raise CxError(f"cutoff {cutoff} must be the first day of a month with at least 3 months before it "
                          f"and {horizon} months after it inside the window {cal[0].date()}..{cal[-1].date()}.")
    n = w.n
    state = dict(s=rng.normal(0, 0.3, n) + 0.7 * (_EXP_MU[w.persona] - 0.5 * w.expectation),
                 unres_1=np.zeros(n), unres_2=np.zeros(n), unres_3=np.zeros(n),
                 pay_1=np.zeros(n), pay_2=np.zeros(n), pay_3=np.zeros(n), products=w.products0.astype(float),
                 tenure=w.tenure0.astype(float))
    active = np.zeros(n, bool)
    churn_month = np.full(n, -1)
    act_parts, mon_parts, con_parts, srv_parts = [], [], [], []
    snap_state = None
    true_nps = []
    for t in range(months):
        active |= (w.start_month == t)
        idx = np.flatnonzero(active)
        if t == c_idx:
            snap_state = dict(idx=idx.copy(), rng_state=None,
                              st={k: v[idx].copy() for k, v in state.items()})
        sub = {k: v[idx] for k, v in state.items()}
        out = _step(w, t, idx, sub, rng, record=True)
        for k in state:
            state[k][idx] = sub[k]
        conn_mu = _ltr_mean(out["s"], out["connected"], state["tenure"][idx])
        true_nps.append(float(100 * _nps_from_mean(conn_mu).mean()))
        act_parts.append(_activity_rows(w, t, idx, out))
        mon_parts.append(({"cid": idx, "t": t, "p_churn": np.round(out["h"], 4),
                                       "ltr_latent": np.round(conn_mu, 2),
                                       "connected": out["connected"].astype(np.int8)}))
        con_parts.append(_contact_rows(w, t, idx, out, rng))
        if (t + 1) % 3 == 0:
            srv_parts.append(_survey_rows(w, t, idx, out, state, rng))
        churned = idx[out["churn"]]
        churn_month[churned] = t
        active[churned] = False
        state["tenure"][idx] += 1
        if progress:
            progress(t + 1)
    tables = _assemble(w, act_parts, con_parts, srv_parts, churn_month)
    truth_monthly = _stack(mon_parts)
    all_ids = _ids("C", np.arange(w.n), w.n)
    truth_monthly.insert(0, "customer_id", all_ids[truth_monthly.pop("cid").to_numpy()])
    truth_monthly.insert(1, "month", cal[truth_monthly.pop("t").to_numpy()])
    cutoff_ts = cal[c_idx]
    snap = snapshot_features(tables, cutoff_ts, horizon=horizon)
    p_true = _mc_label_probability(w, snap_state, c_idx, horizon, truth_replicates, seed)
    p_df = pd.DataFrame({"customer_id": all_ids[snap_state["idx"]], "p_churn": p_true})
    p_df = p_df.set_index("customer_id").loc[snap["customer_id"]].reset_index()
    tables["churn_snapshot"] = snap
    truth = Truth(customers=_truth_customers(w), agents=_truth_agents(w, rng), monthly=truth_monthly,
                  churn_probability=p_df,
                  summary=_summary(w, true_nps, cutoff_ts, horizon, tables))
    settings = dict(n_customers=n_customers, months=months, seed=seed, start=str(cal[0].date()),
                    cutoff=str(cutoff_ts.date()), horizon=horizon, truth_replicates=truth_replicates)
    truth.summary["settings"] = settings
    return Company(tables=tables, truth=truth, settings=settings)


def _ids(prefix: str, idx: np.ndarray, total: int, width: int | None = None) -> np.ndarray:
    """Ids such as ``C00001`` for 0-based indices, as an object array (fast in pandas)."""
    fmt = f"{prefix}%0{width or max(5, len(str(total)))}d"
    return np.array([fmt % (i + 1) for i in range(total)], dtype=object)[np.asarray(idx)]


def _stack(parts: list[dict]) -> pd.DataFrame:
    """One DataFrame from per-month dicts of columns (faster than concatenating frames)."""
    sizes = [len(p["cid"]) for p in parts]
    cols = {}
    for key in parts[0]:
        cols[key] = np.concatenate([np.broadcast_to(np.asarray(p[key]), (k,)) for p, k in zip(parts, sizes)])
    return pd.DataFrame(cols)


def _activity_rows(w, t, idx, out) -> dict:
    return ({
        "cid": idx, "t": t, "usage_gb": np.round(out["usage"], 2), "spend": np.round(out["spend"], 2),
        "products_held": out["products"].astype(int), "care_contacts": out["contacts"].astype(int),
        "complaints": out["complaints"].astype(int), "complaints_resolved": out["complaints_resolved"].astype(int),
        "positive_feedback": out["positive_feedback"].astype(int), "payment_issue": out["payment_issue"].astype(int),
        "help_video_views": out["video"].astype(int), "help_article_views": out["article"].astype(int),
        "churned": out["churn"].astype(int)})


def _contact_rows(w, t, idx, out, rng) -> dict:
    r = out["contacts_rows"]
    m = len(r["owner"])
    start = w.calendar[t]
    days = rng.integers(0, start.days_in_month, m)
    minutes = rng.integers(8 * 60, 21 * 60, m)
    ts = start + pd.to_timedelta(days, unit="D") + pd.to_timedelta(minutes, unit="min")
    tone_txt = np.empty(m, dtype=object)
    for ti, key in enumerate(("warm", "neutral", "curt")):
        sel = r["tone"] == ti
        tone_txt[sel] = np.array(_REPLY[key], dtype=object)[rng.integers(0, 4, sel.sum())]
    csat = r["csat"]
    comment = np.full(m, "", dtype=object)
    leave = rng.random(m) < 0.45
    for score in range(1, 6):
        sel = leave & (csat == score)
        pool = np.array(_FEEDBACK_COMMENT[score], dtype=object)
        comment[sel] = pool[rng.integers(0, len(pool), sel.sum())]
    warm = leave & (rng.random(m) < expit(-4.0 + 7.0 * w.connection[idx[r["owner"]]]))
    for good, pool in ((True, _FEEDBACK_WARM[True]), (False, _FEEDBACK_WARM[False])):
        sel = warm & ((csat >= 3) == good)
        comment[sel] = comment[sel] + " " + np.array(pool, dtype=object)[rng.integers(0, len(pool), sel.sum())]
    return ({
        "cid": idx[r["owner"]], "timestamp": np.asarray(ts), "agent": r["agent"], "channel": np.array(_CHANNELS, dtype=object)[r["channel"]],
        "issue_type": np.array(_ISSUES, dtype=object)[r["issue"]], "proactive": r["proactive"].astype(int),
        "wait_minutes": np.round(r["wait"], 1), "handle_minutes": np.round(r["handle"], 1),
        "resolved_first_contact": r["fcr"].astype(int), "agent_reply": tone_txt,
        "answered": r["answered"], "csat": csat, "effort": r["effort"].astype(int), "comment": comment,
        "_eta": r["eta"]})


def _survey_rows(w, t, idx, out, state, rng) -> dict:
    n = len(idx)
    invited = rng.random(n) < 0.25
    s, conn = out["s"], w.connection[idx]
    answer = invited & (rng.random(n) < expit(-0.6 + 1.8 * s + 1.0 * (conn - 0.5)))
    a = np.flatnonzero(answer)
    tenure = state["tenure"][idx[a]]
    mu = _ltr_mean(s[a], out["connected"][a], tenure)
    ltr = np.clip(np.round(mu + rng.normal(0, _LTR_SD, len(a))), 0, 10).astype(int)
    k = len(a)
    polite = np.where(rng.random(k) < 0.85, 5, np.where(rng.random(k) < 0.8, 4, 3))
    shock = w.shock(t, idx[a])
    val = 3.2 + 0.8 * s[a] - 1.2 * w.price_sens[idx[a]] * shock - 0.6 * (w.plan[idx[a]] == 2) + rng.normal(0, 0.8, k)
    net = 3.6 + 1.8 * w.network(t) + 0.4 * s[a] + rng.normal(0, 0.8, k)
    sup = 3.4 + 0.6 * s[a] - 0.5 * (t >= w.change_month) + rng.normal(0, 0.9, k)
    ratings = {"value_for_money": val, "network_quality": net, "ease_of_support": sup}
    ratings = {key: np.clip(np.round(v), 1, 5).astype(int) for key, v in ratings.items()}
    c_a, ps_a = conn[a], w.price_sens[idx[a]]
    p_never = np.clip(0.05 + 0.55 * c_a - 0.25 * ps_a, 0.02, 0.9)
    u = rng.random(k)
    shop = np.where(u < p_never * 0.4, "never", np.where(u < p_never, "rarely",
                    np.where(u < p_never + (1 - p_never) * 0.55, "sometimes", "often")))
    disc = np.clip(np.round(4 + 30 * c_a * (1 - 0.5 * ps_a) - 5 * ps_a + rng.normal(0, 7, k)), 0, 60).astype(int)
    # comments: an opener whose warmth is driven by the latent emotional connection
    # (at every score), then a reason about the best/worst rated attribute
    group = np.where(ltr >= 9, "promoter", np.where(ltr >= 7, "passive", "detractor"))
    warm = rng.random(k) < expit(-4.0 + 7.0 * conn[a])
    opener = np.empty(k, dtype=object)
    for (g, is_warm), pool in _NPS_OPEN.items():
        sel = (group == g) & (warm == is_warm)
        opener[sel] = np.array(pool, dtype=object)[rng.integers(0, len(pool), sel.sum())]
    # the true causal effect of connection on recommending, for these respondents
    mu1 = _ltr_mean(s[a], 1.0, tenure)
    mu0 = _ltr_mean(s[a], 0.0, tenure)
    effect = (norm.sf(8.5, mu1, _LTR_SD), norm.sf(8.5, mu0, _LTR_SD))
    names = list(ratings)
    mat = np.column_stack([ratings[nm] for nm in names])
    pick = np.where(ltr >= 7, mat.argmax(axis=1), mat.argmin(axis=1))
    reason = np.empty(k, dtype=object)
    for j, nm in enumerate(names):
        for good in (True, False):
            sel = (pick == j) & ((ltr >= 7) == good)
            pool = np.array(_NPS_REASON[nm][good], dtype=object)
            reason[sel] = pool[rng.integers(0, len(pool), sel.sum())]
    comment = np.where(rng.random(k) < 0.8, opener + " " + reason, "")
    day = rng.integers(3, 25, k)
    return ({"cid": idx[a], "survey_date": np.asarray(w.calendar[t] + pd.to_timedelta(day, unit="D")),
                         "tenure_months": tenure.astype(int), "ltr": ltr, "friendly_polite": polite, **ratings,
                         "shop_around": shop, "switch_discount_pct": disc, "comment": comment,
                         "_p_rec_connected": effect[0], "_p_rec_unconnected": effect[1]})


def _assemble(w, act_parts, con_parts, srv_parts, churn_month) -> dict:
    cal = w.calendar
    ids = _ids("C", np.arange(w.n), w.n)
    seen = np.zeros(w.n, bool)
    act = _stack(act_parts)
    seen[act["cid"].unique()] = True
    act.insert(0, "customer_id", ids[act.pop("cid").to_numpy()])
    act.insert(1, "month", cal[act.pop("t").to_numpy()])
    churn_date = pd.Series(pd.NaT, index=range(w.n), dtype="datetime64[ns]")
    has = churn_month >= 0
    rng_days = (np.arange(w.n) * 7919) % 27 + 1  # deterministic day within the churn month
    churn_date[has] = (cal[churn_month[has]] + pd.to_timedelta(rng_days[has], unit="D")).to_numpy()
    customers = pd.DataFrame({
        "customer_id": ids, "signup_date": w.signup, "age": w.age, "city": np.array(_CITIES, dtype=object)[w.city],
        "acquisition_channel": np.array(_ACQ, dtype=object)[w.channel_acq], "acquisition_cost": np.round(w.acq_cost, 2),
        "plan": np.array(_PLANS, dtype=object)[w.plan], "monthly_fee": _FEES[w.plan],
        "status": np.where(has, "churned", "active"), "churn_date": churn_date})[seen].reset_index(drop=True)
    agents = pd.DataFrame({"agent_id": _ids("A", np.arange(len(w.agent_q)), len(w.agent_q), width=3),
                           "team": w.agent_team, "channel": np.array(_CHANNELS, dtype=object)[w.agent_channel],
                           "hire_date": pd.DatetimeIndex(w.agent_hire).normalize()})
    con = _stack(con_parts).sort_values(["timestamp", "cid"], kind="stable").reset_index(drop=True)
    con.insert(0, "interaction_id", _ids("I", np.arange(len(con)), 10**6))
    con.insert(1, "customer_id", ids[con.pop("cid").to_numpy()])
    ag = con.pop("agent").to_numpy()
    con.insert(2, "agent_id", agents["agent_id"].to_numpy()[ag])
    con.insert(3, "team", w.agent_team[ag])
    w.agent_observed = _observed_agent_rates(con.pop("_eta").to_numpy(), ag, len(w.agent_q))
    fb = con[con["answered"]].copy()
    fb = fb.assign(date=fb["timestamp"].dt.normalize())
    fb.insert(0, "response_id", _ids("F", np.arange(len(fb)), 10**6))
    feedback = fb[["response_id", "interaction_id", "customer_id", "agent_id", "team", "channel", "date",
                   "csat", "effort", "comment"]].reset_index(drop=True)
    interactions = con.drop(columns=["answered", "csat", "effort", "comment"])
    srv = _stack(srv_parts).sort_values(["survey_date", "cid"], kind="stable").reset_index(drop=True)
    w.respondent_rr = float(srv.pop("_p_rec_connected").mean() / srv.pop("_p_rec_unconnected").mean())
    srv.insert(0, "response_id", _ids("R", np.arange(len(srv)), 10**5))
    cid = srv.pop("cid").to_numpy()
    srv.insert(1, "customer_id", ids[cid])
    srv.insert(3, "plan", np.array(_PLANS, dtype=object)[w.plan[cid]])
    srv.insert(4, "city", np.array(_CITIES, dtype=object)[w.city[cid]])
    return {"customers": customers, "activity": act, "agents": agents, "interactions": interactions,
            "agent_feedback": feedback, "nps_surveys": srv}


#: The snapshot's columns as named by :func:`cxlib.churn.build_features` (which computes them).
_SNAPSHOT_FROM_BUILDER = {
    "tenure_months": "tenure_months", "age": "age", "plan": "plan", "city": "city",
    "acquisition_channel": "acquisition_channel", "monthly_fee": "monthly_fee",
    "products_held": "products_held_last", "usage_gb_last": "usage_gb_last", "usage_trend": "usage_gb_trend",
    "spend_last": "spend_last", "care_contacts_3m": "care_contacts_3m", "complaints_3m": "complaints_3m",
    "unresolved_complaints_3m": "unresolved_complaints_3m", "positive_feedback_6m": "positive_feedback_6m",
    "payment_issues_3m": "payment_issue_3m", "payment_issues_6m": "payment_issue_6m",
    "help_video_views_6m": "help_video_views_6m", "help_article_views_6m": "help_article_views_6m",
    "months_since_complaint": "months_since_complaint", "last_ltr": "last_ltr", "last_csat": "last_csat",
}


def snapshot_features(tables: dict, cutoff, horizon: int = 3) -> pd.DataFrame:
    """Point-in-time churn features at ``cutoff`` from the simulator's tables.

    A compact, documented selection (:data:`SNAPSHOT_FEATURES`) of what
    :func:`cxlib.churn.build_features` computes: only rows dated before ``cutoff``
    are used; the label ``churned`` is 1 when the customer cancels in the
    ``horizon`` months from the cutoff; only customers active at the cutoff are
    included. ``months_since_complaint`` is 99 when there was no complaint before it.
    """
    from cxlib.churn import build_features

    feats = build_features(tables["activity"], cutoff, horizon=horizon, customers=tables["customers"],
                           surveys=tables.get("nps_surveys"), feedback=tables.get("agent_feedback"),
                           windows=(1, 3, 6))
    out = feats[["customer_id"]].copy()
    for name, source in _SNAPSHOT_FROM_BUILDER.items():
        out[name] = feats[source]
    out["months_since_complaint"] = out["months_since_complaint"].fillna(99).astype(int)
    out["usage_trend"] = out["usage_trend"].round(3)
    for col in ("tenure_months", "products_held", "care_contacts_3m", "complaints_3m", "unresolved_complaints_3m",
                "positive_feedback_6m", "payment_issues_3m", "payment_issues_6m", "help_video_views_6m",
                "help_article_views_6m"):
        out[col] = out[col].astype(int)
    for col in ("last_ltr", "last_csat"):
        out[col] = out[col].astype("Int64")
    out["churned"] = feats["churned"].astype(int)
    return out.reset_index(drop=True)


def _mc_label_probability(w, snap, c_idx, horizon, reps, seed) -> np.ndarray:
    """True P(cancel within ``horizon`` months of the cutoff), by Monte Carlo."""
    idx = snap["idx"]
    n = len(idx)
    rng = np.random.default_rng([seed, 7])
    alive_count = np.zeros(n)
    chunk = max(1, 400_000 // max(n, 1))
    done = 0
    while done < reps:
        r = min(chunk, reps - done)
        rep_idx = np.tile(idx, r)
        st = {k: np.tile(v, r) for k, v in snap["st"].items()}
        alive = np.ones(len(rep_idx), bool)
        for t in range(c_idx, c_idx + horizon):
            sel = np.flatnonzero(alive)
            sub = {k: v[sel] for k, v in st.items()}
            out = _step(w, t, rep_idx[sel], sub, rng, record=False)
            for k in st:
                st[k][sel] = sub[k]
            st["tenure"][sel] += 1
            alive[sel[out["churn"]]] = False
        alive_count += alive.reshape(r, n).sum(axis=0)
        done += r
    return np.round(1 - alive_count / reps, 4)


def _truth_customers(w) -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": _ids("C", np.arange(w.n), w.n), "persona": np.array(PERSONAS, dtype=object)[w.persona],
        "emotional_connection": np.round(w.connection, 4),
        "connected": _connected(w, np.arange(w.n), w.tenure0.astype(float)).astype(int),
        "price_sensitivity": np.round(w.price_sens, 4), "expectation": np.round(w.expectation, 4)})


# quantiles of the standard logistic distribution, for exact expectations over the survey noise
_U = np.log((np.arange(200) + 0.5) / 200) - np.log1p(-(np.arange(200) + 0.5) / 200)


def _observed_agent_rates(eta: np.ndarray, agent: np.ndarray, n_agents: int) -> np.ndarray:
    """Expected share satisfied among each agent's *answered* surveys, given their contacts.

    For a contact with latent mean ``eta`` the answer is satisfied when eta + u > 0 and is
    given with probability a(eta + u); both are averaged over the logistic noise u (200
    quantile nodes), on a fine grid of ``eta`` that each contact interpolates.
    """
    if not len(eta):
        return np.full(n_agents, np.nan)
    grid = np.linspace(eta.min() - 0.01, eta.max() + 0.01, 4001)
    lat = grid[:, None] + _U[None, :]
    ans = expit(-1.1 + 0.35 * np.abs(lat - 0.5))
    p_ans = np.interp(eta, grid, ans.mean(axis=1))
    p_sat_ans = np.interp(eta, grid, (ans * (lat > 0)).mean(axis=1))
    num = np.bincount(agent, weights=p_sat_ans, minlength=n_agents)
    den = np.bincount(agent, weights=p_ans, minlength=n_agents)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _truth_agents(w, rng) -> pd.DataFrame:
    """True P(CSAT 4-5) of each agent on the same reference mix of contacts, and on their own."""
    m = 4000
    ref = np.random.default_rng(12345)
    issue = ref.choice(5, size=m, p=[.30, .23, .15, .15, .17])
    d = _DIFFICULTY[issue]
    conn = ref.beta(3, 3, m)
    wait = np.log1p(3.0 * ref.lognormal(0, 0.6, m))
    out = []
    for a in range(len(w.agent_q)):
        q, emp = w.agent_q[a], w.agent_empathy[a]
        p_fcr = expit(1.3 + q - d)
        tone = 0.4 * emp * 0.8 - 0.6 * (1 - emp) * 0.5
        base = 0.6 + q - 0.5 * d + tone + 0.4 * (conn - 0.5) - 0.15 * wait
        p = p_fcr * expit(base + 1.1) + (1 - p_fcr) * expit(base)
        out.append(p.mean())
    return pd.DataFrame({"agent_id": [f"A{i + 1:03d}" for i in range(len(w.agent_q))],
                         "true_csat": np.round(out, 4),
                         "true_csat_observed": np.round(w.agent_observed, 4),
                         "empathy": np.round(w.agent_empathy, 4)})


def _summary(w, true_nps, cutoff, horizon, tables) -> dict:
    # causal effect of being connected on P(recommend = 9-10), at the cutoff month's state
    act = tables["activity"]
    months = [str(m.date()) for m in w.calendar]
    return {
        "company": "Simorgh Mobile (fictional mobile operator)",
        "true_nps_by_month": dict(zip(months, [round(v, 2) for v in true_nps])),
        "churn_rate_by_month": {str(k.date()): round(float(v), 4) for k, v in
                                act.groupby("month")["churned"].mean().items()},
        "churn_model": {"link": "logit", "coefficients": CHURN_COEFS},
        "process_change_month": str(w.calendar[w.change_month].date()) if w.change_month < w.months else None,
        "price_change_month": str(w.calendar[w.price_month].date()) if w.price_month < w.months else None,
        "snapshot_cutoff": str(cutoff.date()), "snapshot_horizon_months": horizon,
        "emotional_connection": _connection_effect(w),
        "ltr_model": {"mean": "6.9 + 1.6*satisfaction + 1.1*connected + 0.3*log(1 + tenure_years)",
                      "sd": _LTR_SD, "connected_rule": "emotional_connection + 0.03*tenure_years > 0.62"},
    }


def _connection_effect(w) -> dict:
    """True effect of being emotionally connected on recommending (LTR 9-10)."""
    idx = np.arange(w.n)
    s0 = 0.7 * (_EXP_MU[w.persona] - 0.5 * w.expectation)
    ten = w.tenure0.astype(float)
    p1 = norm.sf(8.5, _ltr_mean(s0, 1.0, ten), _LTR_SD)
    p0 = norm.sf(8.5, _ltr_mean(s0, 0.0, ten), _LTR_SD)
    conn = _connected(w, idx, ten).astype(bool)
    p_obs = norm.sf(8.5, _ltr_mean(s0, conn.astype(float), ten), _LTR_SD)
    return {
        "causal_rr_recommend": round(float(p1.mean() / p0.mean()), 3),
        "causal_rr_recommend_respondents": round(w.respondent_rr, 3),
        "observed_rr_recommend_population": round(float(p_obs[conn].mean() / p_obs[~conn].mean()), 3),
        "share_connected": round(float(conn.mean()), 3),
        "note": ("causal RR = P(LTR 9-10) if everyone were connected / if no one were, at the start-of-window "
                 "satisfaction; causal_rr_recommend_respondents is the same ratio for the relationship-survey "
                 "respondents at the time they answered (respondents are happier, so it is smaller); the observed "
                 "RR is larger because connected customers have longer tenure and higher satisfaction "
                 "(confounding). truth/monthly.csv has each customer's `connected` status month by month."),
    }
