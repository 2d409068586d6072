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
>>> from cxlib.simulation import simulate
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

import functools

import numpy as np
import pandas as pd
from scipy.special import expit, ndtr

_P_SHARE = np.array([0.30, 0.25, 0.25, 0.20])
_AGE = np.array([[31, 5], [47, 7], [36, 10], [44, 9]])
_ACQ = ["store", "online", "partner", "referral"]
_ACQ_P = np.array(
    [[0.10, 0.60, 0.10, 0.20], [0.55, 0.10, 0.20, 0.15], [0.20, 0.35, 0.35, 0.10], [0.35, 0.15, 0.15, 0.35]]
)
_ACQ_COST = {"store": 60.0, "online": 35.0, "partner": 50.0, "referral": 25.0}
_PLANS = ["Basic", "Plus", "Premium"]
_FEES = np.array([15.0, 30.0, 55.0])
_PLAN_P = np.array([[0.25, 0.50, 0.25], [0.40, 0.45, 0.15], [0.75, 0.20, 0.05], [0.10, 0.35, 0.55]])
_CONN_AB = np.array([[3, 3], [3, 3.5], [2, 4.5], [5, 2.5]])
_PRICE_AB = np.array([[2, 4], [2.5, 3.5], [6, 2], [1.5, 5]])
_EXPECT_MU = np.array([0.5, 0.0, 0.2, -0.2])
_EXP_MU = np.array([0.25, 0.2, 0.05, 0.35])  # persona's mean raw experience
_USAGE = np.array([22.0, 5.0, 9.0, 14.0])
_VIDEO = np.array([1.4, 0.08, 0.25, 0.3])
_ARTICLE = np.array([0.15, 1.1, 0.3, 0.3])
_CITIES = ["Tehran", "Mashhad", "Isfahan", "Shiraz", "Tabriz", "Karaj"]
_CITY_P = np.array([0.38, 0.15, 0.14, 0.12, 0.11, 0.10])
_CHANNELS = ["phone", "chat", "email", "store"]
_CH_P = np.array(
    [[0.20, 0.60, 0.15, 0.05], [0.55, 0.05, 0.10, 0.30], [0.40, 0.30, 0.20, 0.10], [0.40, 0.20, 0.10, 0.30]]
)
_CH_CUM = np.cumsum(_CH_P, axis=1)
_CH_CUM_T = np.ascontiguousarray(_CH_CUM.T)
_ISSUES = ["billing", "network", "device", "plan_change", "complaint"]
_ISSUE_CUM = np.cumsum([[0.36, 0.28, 0.18, 0.18]], axis=1)  # issue mix of non-complaint contacts
_ISSUE_CUM_T = _ISSUE_CUM.T.copy()
_DIFFICULTY = np.array([0.0, 0.6, 0.4, -0.3, 1.2])
_WAIT_MEDIAN = {"phone": (3.0, 8.0), "chat": (1.5, 3.5), "email": (240.0, 600.0), "store": (8.0, 11.0)}
_HANDLE_MEDIAN = {"phone": 7.0, "chat": 12.0, "email": 9.0, "store": 15.0}
# team name, channel, number of agents, mean logit quality, first active month
_TEAMS = [
    ("Tehran-Phone", "phone", 10, 0.35, 0),
    ("Mashhad-Phone", "phone", 8, 0.15, 0),
    ("Chat", "chat", 8, 0.25, 0),
    ("Email", "email", 5, 0.0, 0),
    ("Stores", "store", 8, 0.45, 0),
    ("Outsourced", "phone", 10, -0.75, 12),
]
_ORD_CUTS = np.array([-2.4, -1.2, 0.0, 1.5])  # CSAT 1..5 cut points on the latent scale
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
    1: [
        "Awful experience, nobody helped me and I am very angry.",
        "Terrible service, a complete waste of time.",
        "Worst support ever, rude and useless.",
    ],
    2: [
        "Not good. I had to explain my problem three times.",
        "Disappointing, the issue is still not fixed.",
        "Slow and unhelpful answers.",
    ],
    3: [
        "It was okay, but it took too long.",
        "Average service, nothing special.",
        "The problem was solved eventually.",
    ],
    4: ["Good support, the agent was helpful.", "Quick and helpful, thanks.", "Problem fixed, good job."],
    5: [
        "Excellent! The agent was wonderful and really cared.",
        "Amazing help, thank you so much!",
        "Fantastic service, I'm very happy.",
    ],
}
_FEEDBACK_WARM = {  # added by emotionally connected customers
    True: ["I love Simorgh, you always make me feel valued.", "Thank you, I really appreciate you all!"],
    False: ["I expected better from a company I love.", "I'm loyal to Simorgh, so this really hurt."],
}
_NPS_OPEN = {
    # (score group, emotionally warm?): how a customer opens a comment. The warm
    # openers carry emotion words whatever the score, so the *tone* of a comment
    # reflects emotional connection, not just the score.
    ("promoter", True): [
        "I love Simorgh, they really care about me.",
        "Simorgh feels like family to me.",
        "I feel truly valued as a customer and I trust them completely.",
        "Honestly the best company I deal with, I'm proud to be a customer.",
    ],
    ("promoter", False): [
        "Good service overall.",
        "Reliable and fair.",
        "No complaints, it works well.",
        "Solid operator.",
    ],
    ("passive", True): [
        "I really like being with Simorgh and I trust them, but lately it's not perfect.",
        "I've been happy and loyal for years, though some things could be better.",
        "I genuinely care about this company, but it needs to improve.",
    ],
    ("passive", False): [
        "It's okay, nothing special.",
        "Decent, but there is room to improve.",
        "Fine for now.",
        "Average service.",
    ],
    ("detractor", True): [
        "I've always loved Simorgh, which is why this hurts so much.",
        "I used to feel proud to be a customer, and now I'm heartbroken.",
        "I trusted them for years and I feel let down.",
    ],
    ("detractor", False): [
        "I'm disappointed.",
        "Not happy with Simorgh lately.",
        "Frustrating experience.",
        "Honestly, it has become bad.",
    ],
}
_NPS_REASON = {
    "value_for_money": {
        True: ["The price is fair for what I get.", "Great value for money."],
        False: ["It is too expensive for what you get.", "The price went up and the service did not."],
    },
    "network_quality": {
        True: ["Coverage is great everywhere I go.", "The network is fast and stable."],
        False: ["Calls drop all the time.", "The network is slow and unreliable."],
    },
    "ease_of_support": {
        True: ["Support solves problems quickly.", "Whenever I call, they fix it fast."],
        False: ["Support takes forever and nobody fixes anything.", "I waited for hours to talk to someone."],
    },
}


__all__ = ["CHURN_COEFS", "PERSONAS"]


PERSONAS = ["digital_self_starter", "guided_learner", "price_hunter", "family_loyalist"]


#: Coefficients of the true monthly churn model (logit scale), see the module docstring.
CHURN_COEFS = {
    "intercept": -4.6,
    "satisfaction": -0.35,
    "unresolved_complaints_3m": 0.8,
    "payment_issues_3m": 1.1,
    "payment_issue": 0.8,
    "price_shock_x_sensitivity": 1.2,
    "connection_minus_half": -0.5,
    "new_customer": 0.5,
    "extra_products": -0.35,
    "basic_plan": 0.3,
}


# ------------------------------------------------------------------------------------
# the simulator
# ------------------------------------------------------------------------------------
class _World:
    """Static parts of the company: customers' traits, agents, calendar."""

    def __init__(self, n_customers: int, months: int, start: pd.Timestamp, rng: np.random.Generator):
        self.months = months
        self.calendar = pd.date_range(start, periods=months, freq="MS")
        self.change_month = min(12, months)  # index of January 2024 with the default start
        self.price_month = min(14, months)  # March 2024
        n_new = rng.poisson(0.02 * n_customers, size=months)
        n_new[0] = 0
        total = n_customers + int(n_new.sum())
        self.n = total
        self.start_month = np.concatenate([np.zeros(n_customers, int), np.repeat(np.arange(months), n_new)])
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
        self.signup = (
            pd.DatetimeIndex(self.signup)
            - pd.to_timedelta(tenure0 * 30.44, unit="D").round("D")
            + pd.to_timedelta(days, unit="D")
        ).normalize()
        self.tenure0 = tenure0
        self.acq_cost = np.array([_ACQ_COST[_ACQ[c]] for c in range(4)])[self.channel_acq] * rng.lognormal(
            0, 0.25, total
        )
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
        self.agent_hire = [
            self.calendar[0] - pd.Timedelta(days=int(d))
            if f == 0
            else self.calendar[min(f, months - 1)] - pd.Timedelta(days=int(d) % 40)
            for f, d in zip(self.agent_first, rng.integers(30, 3000, na))
        ]

    @functools.cached_property
    def customer_ids(self) -> np.ndarray:
        """Every customer's id (``C00001``, ...), by customer index; made once and shared by the tables."""
        return _ids("C", np.arange(self.n), self.n)

    def network(self, t: int) -> float:
        if t < self.change_month:
            return 0.0
        span = max(1, self.months - 1 - self.change_month)
        return -0.5 * (t - self.change_month) / span

    def shock(self, t: int, idx: np.ndarray) -> np.ndarray:
        return self.shock_of(t, self.plan[idx] == 0)

    def shock_of(self, t: int, basic: np.ndarray) -> np.ndarray:
        """The price shock in month ``t`` (1.0 from the price change on), for customers on the Basic plan or not."""
        return ((t >= self.price_month) & basic).astype(float)


def _pick_rows(rng: np.random.Generator, probs: np.ndarray, cum: np.ndarray | None = None) -> np.ndarray:
    """One categorical draw per row of a probability matrix (vectorised).

    ``cum`` may give the rows' cumulative sums directly (e.g. a 1-row table that
    broadcasts); the random draws are the same either way.
    """
    u = rng.random(len(probs))[:, None]
    cum = np.cumsum(probs, axis=1) if cum is None else cum
    return (u > cum).sum(axis=1).clip(0, cum.shape[-1] - 1)


def _pick_cum(u: np.ndarray, cum_t: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """:func:`_pick_rows` for given uniforms ``u`` and a cumulative table stored column-wise.

    ``cum_t[j]`` holds column ``j`` of the cumulative table (one value per table row, picked by
    ``rows``, or a scalar per column when ``rows`` is None). The same result as
    ``(u[:, None] > cum).sum(axis=1).clip(...)`` without building the (draws x columns) matrix.
    """
    out = np.zeros(len(u), np.int64)
    for col in cum_t:
        out += u > (col if rows is None else col[rows])
    return out.clip(0, len(cum_t) - 1)


def _connected(w: _World, idx: np.ndarray, tenure_months: np.ndarray) -> np.ndarray:
    return _is_connected(w.connection[idx], tenure_months)


def _is_connected(connection: np.ndarray, tenure_months: np.ndarray) -> np.ndarray:
    """1.0 for a customer emotionally connected: their connection, which grows a little with tenure, above 0.62."""
    return (connection + 0.03 * tenure_months / 12 > 0.62).astype(float)


def _ltr_mean(s, connected, tenure_months):
    return 6.9 + 1.6 * s + 1.1 * connected + 0.3 * np.log1p(tenure_months / 12)


_LTR_SD = 1.1


def _nps_from_mean(mu: np.ndarray) -> np.ndarray:
    """Expected NPS contribution (+1/0/-1) of each customer with latent mean ``mu``."""
    # norm.sf(8.5, mu, sd) - norm.cdf(6.5, mu, sd), computed as scipy.stats does (the same numbers)
    # without its per-call argument checks
    p_prom = ndtr(-((8.5 - mu) / _LTR_SD))
    p_det = ndtr((6.5 - mu) / _LTR_SD)
    return p_prom - p_det


def _route_agents(w: _World, t: int, ch: np.ndarray, issue: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The agent of each contact: agents of its channel active in month ``t``; seniors get complaints."""
    agent = np.empty(len(ch), int)
    complaint = issue == 4
    for c in range(4):
        sel = np.flatnonzero(ch == c)
        if not len(sel):
            continue
        pool = np.flatnonzero((w.agent_channel == c) & (w.agent_first <= t))
        if c == 0 and t >= w.change_month:  # outsourced team takes ~55% of phone contacts
            wts = np.where(w.agent_team[pool] == "Outsourced", 1.3, 1.0)
        else:
            wts = np.ones(len(pool))
        sel_complaint = complaint[sel]
        for is_c in (0, 1):
            s2 = sel[sel_complaint == bool(is_c)]
            if not len(s2):
                continue
            ww = wts * np.where(w.agent_senior[pool], 3.0 if is_c else 0.6, 1.0)
            agent[s2] = pool[_choice(rng, ww / ww.sum(), len(s2))]
    return agent


def _choice(rng: np.random.Generator, p: np.ndarray, size: int) -> np.ndarray:
    """``rng.choice(len(p), size, p=p)``: the same draw and the same picks, without its checks of ``p``.

    As numpy does: the cumulative ``p`` scaled to end at 1, one uniform per pick, and the pick is
    the number of cumulative values at most the uniform (``searchsorted(side="right")``, counted
    with one comparison per value: faster for a dozen values and many picks).
    """
    cdf = p.cumsum()
    cdf /= cdf[-1]
    u = rng.random(size)
    pick = np.zeros(size, np.intp)
    for edge in cdf:
        pick += edge <= u
    return pick


def _churn_logit(ps, basic, st: dict, s, u_recent, p_recent, pay, shock, conn) -> np.ndarray:
    """Log-odds of churning this month (:data:`CHURN_COEFS`), from the state after this month's contacts.

    ``ps`` is the customers' price sensitivity and ``basic`` whether they are on the Basic plan. The
    terms are added one by one in the order of :data:`CHURN_COEFS` (into one array, the same sums).
    """
    c = CHURN_COEFS
    eta = c["satisfaction"] * s
    eta += c["intercept"]
    tmp = np.empty_like(eta)
    for coef, x in (
        (c["unresolved_complaints_3m"], u_recent),
        (c["payment_issues_3m"], p_recent),
        (c["payment_issue"], pay),
    ):
        eta += np.multiply(coef, x, out=tmp)
    np.multiply(c["price_shock_x_sensitivity"], ps, out=tmp)
    eta += np.multiply(tmp, shock, out=tmp)
    np.subtract(conn, 0.5, out=tmp)
    eta += np.multiply(c["connection_minus_half"], tmp, out=tmp)
    eta += np.multiply(c["new_customer"], st["tenure"] < 6, out=tmp)
    np.subtract(st["products"], 1, out=tmp)
    eta += np.multiply(c["extra_products"], tmp, out=tmp)
    eta += np.multiply(c["basic_plan"], basic, out=tmp)
    return eta


def _contact_survey(
    after, owner, ch, issue, agent, fcr, tone, tone_eff, is_pro, q, d, conn, rng: np.random.Generator
) -> dict:
    """The contact rows of a month: waits, handle times and the post-contact survey (CSAT, effort)."""
    m = len(owner)
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
    return dict(
        owner=owner,
        channel=ch,
        issue=issue,
        agent=agent,
        fcr=fcr,
        tone=tone,
        eta=eta_c,
        proactive=is_pro,
        wait=wait,
        handle=handle,
        csat=csat,
        answered=answered,
        effort=effort,
    )


_TONE_EFFECT = np.array([0.4, 0.0, -0.6])  # warm, neutral, curt


def _contacts(w: _World, t: int, k, k_pro, pers, raw, after: float, rng: np.random.Generator) -> tuple:
    """This month's contacts: owner row, proactive, channel, issue, agent, first-contact resolution, tone."""
    n_contacts = k + k_pro
    owner = np.repeat(np.arange(len(k)), n_contacts)
    m = len(owner)
    # a customer's contacts: first the k they started, then the proactive one (k_pro is 0 or 1)
    is_pro = np.zeros(m)
    is_pro[np.cumsum(n_contacts)[k_pro == 1] - 1] = 1.0
    ch = _pick_cum(rng.random(m), _CH_CUM_T, pers[owner])  # the draws of _pick_rows
    p_compl = expit(-1.9 - 0.9 * raw[owner])
    base_issue = _pick_cum(rng.random(m), _ISSUE_CUM_T)
    issue = np.where(rng.random(m) < p_compl, 4, base_issue)
    issue = np.where(is_pro == 1, np.where(rng.random(m) < 0.5, 3, 1), issue)
    agent = _route_agents(w, t, ch, issue, rng)
    fcr = rng.random(m) < expit(1.3 + w.agent_q[agent] - _DIFFICULTY[issue] - 0.4 * after + 1.5 * is_pro)
    emp = w.agent_empathy[agent]
    u = rng.random(m)
    tone = np.where(u < emp * 0.8, 0, np.where(u < emp * 0.8 + (1 - emp) * 0.5, 2, 1))  # 0 warm 1 neutral 2 curt
    return owner, is_pro, ch, issue, agent, fcr, tone


def _step(w: _World, t: int, idx: np.ndarray, st: dict, rng: np.random.Generator, record: bool):
    """Simulate month ``t`` for customers ``idx`` (may repeat, for Monte Carlo).

    ``st`` holds per-row state arrays (satisfaction, unresolved last month, products,
    tenure, and for MC the customer index). Returns the monthly signals and, when
    ``record``, the contact rows.
    """
    n = len(idx)
    pers = w.persona[idx]
    ps = w.price_sens[idx]
    basic = w.plan[idx] == 0
    shock = w.shock_of(t, basic)
    after = float(t >= w.change_month)
    raw = _EXP_MU[pers] + w.network(t) - 0.9 * ps * shock + rng.normal(0, 0.8, n)
    # contacts -----------------------------------------------------------------------
    k = rng.poisson(0.2 * np.exp(-0.6 * raw))
    proactive_rate = 0.05 * (1 - 0.7 * after)
    k_pro = rng.binomial(1, proactive_rate, n)
    owner, is_pro, ch, issue, agent, fcr, tone = _contacts(w, t, k, k_pro, pers, raw, after, rng)
    # monthly aggregation of contacts -----------------------------------------------------
    compl = np.bincount(owner, weights=(issue == 4), minlength=n)
    compl_fcr = np.bincount(owner, weights=(issue == 4) & fcr, minlength=n)
    # complaints resolved later: a binomial draw of 0 trials takes no random number, so drawing only for
    # the customers with an open complaint gives the same numbers as drawing for everyone
    still_open = (compl - compl_fcr).astype(int)
    some = np.flatnonzero(still_open)
    later = np.zeros(n, np.int64)
    later[some] = rng.binomial(still_open[some], 0.5 - 0.25 * after)
    compl_resolved = compl_fcr + later
    unresolved = compl - compl_resolved
    resolved_n = np.bincount(owner, weights=fcr, minlength=n)
    curt = np.bincount(owner, weights=(tone == 2), minlength=n)
    e = raw + 0.4 * k_pro + 0.15 * resolved_n - 0.9 * unresolved - 0.3 * curt
    s = 0.7 * st["s"] + 0.3 * (e - 0.5 * w.expectation[idx])
    st["s"] = s
    # signals --------------------------------------------------------------------------
    conn = w.connection[idx]
    connected = _is_connected(conn, st["tenure"])
    pos_fb = rng.poisson(0.05 * np.exp(2.0 * conn + 0.6 * s))
    pay = rng.random(n) < expit(-4.6 + 2.6 * ps + 1.4 * ps * shock - 0.4 * s)
    add = rng.random(n) < expit(-4.3 + 1.2 * connected + 0.5 * s)
    st["products"] = st["products"] + add
    # loyalty signals of the three previous months (what a company can see before it acts)
    u_recent = np.minimum(st["unres_1"] + st["unres_2"] + st["unres_3"], 4)
    p_recent = np.minimum(st["pay_1"] + st["pay_2"] + st["pay_3"], 3)
    st["unres_3"], st["unres_2"], st["unres_1"] = st["unres_2"], st["unres_1"], unresolved
    st["pay_3"], st["pay_2"], st["pay_1"] = st["pay_2"], st["pay_1"], pay.astype(float)
    eta = _churn_logit(ps, basic, st, s, u_recent, p_recent, pay, shock, conn)
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
    out.update(
        usage=usage,
        spend=fee + extra + 5.0 * (st["products"] - 1),
        products=st["products"].copy(),
        contacts=k + k_pro,
        complaints=compl,
        complaints_resolved=compl_resolved,
        positive_feedback=pos_fb,
        payment_issue=pay,
        video=video,
        article=article,
    )
    q, d, tone_eff = w.agent_q[agent], _DIFFICULTY[issue], _TONE_EFFECT[tone]
    out["contacts_rows"] = _contact_survey(after, owner, ch, issue, agent, fcr, tone, tone_eff, is_pro, q, d, conn, rng)
    return out


def _ids(prefix: str, idx: np.ndarray, total: int, width: int | None = None) -> np.ndarray:
    """Ids such as ``C00001`` for 0-based indices, as an object array of str (fast in pandas).

    The same strings as ``f"{prefix}%0{width}d" % (i + 1)``, written as ASCII digits in one
    numpy buffer and split into Python strings in one go (a list comprehension of 700,000
    formatted ids takes about 0.5 s; this takes a fifth of that).
    """
    width = width or max(5, len(str(total)))
    num = np.asarray(idx, dtype=np.int64).ravel() + 1
    if not len(num) or num.min() < 1 or num.max() >= 10**width or not prefix.isascii() or "\n" in prefix:
        fmt = f"{prefix}%0{width}d"
        return np.array([fmt % i for i in num.tolist()], dtype=object)
    head = prefix.encode("ascii")
    buf = np.empty((len(num), len(head) + width + 1), np.uint8)
    buf[:, : len(head)] = np.frombuffer(head, np.uint8)
    buf[:, -1] = ord("\n")
    rest = num
    for j in range(len(head) + width - 1, len(head) - 1, -1):
        rest, digit = np.divmod(rest, 10)
        buf[:, j] = digit + ord("0")
    return np.array(buf.tobytes().decode("ascii").split("\n")[:-1], dtype=object)
