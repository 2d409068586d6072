"""Exercises of lesson 04 (real-time feedback tied to each agent).

The expected answers are computed from the bundled data, never typed in.

Examples
--------
>>> from cxlib.teaching.exercises import ____, lesson04 as ex
>>> ex.q1.check(____).status
'unattempted'
>>> ex.q3.check(lambda k, n, a, b: (k + a) / (n + a + b)).status
'correct'
>>> ex.q4.check("investigate").status
'correct'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from cxlib.teaching.exercises import (
    ChoiceExercise,
    FunctionExercise,
    NumericExercise,
    OpenExercise,
    PandasExercise,
    as_number,
    exercise,
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]


def _feedback():
    from cxlib.data import datasets

    return datasets.load_agent_feedback()


@exercise
class q1(NumericExercise):
    prompt = (
        "What share of all answered post-interaction surveys in `agent_feedback` are "
        "**satisfied** (CSAT 4 or 5, top-2-box)? Give a share between 0 and 1."
    )
    hints = (
        "Top-2-box: on a 1-5 scale, the two best answers count as satisfied.",
        "Compare the `csat` column with the lowest satisfied score: you get a True/False column, one value per survey.",
        "The mean of a True/False column is the share of Trues (pandas' `.mean()`).",
    )
    solution_code = "fb = datasets.load_agent_feedback()\nanswer = (fb['csat'] >= 4).mean()"
    decimals = 2  # a share rounded to whole percents (0.70) is right; a percentage is pointed out
    abs_tol = 0.002
    rel_tol = 0.0

    def expected(self) -> float:
        return float((_feedback()["csat"].dropna() >= 4).mean())

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a = as_number(answer)
        fb = _feedback()["csat"].dropna()
        if 1 < a <= 100 and math.isclose(a / 100, expected, abs_tol=0.002):
            return f"you gave a percentage ({a:g}); give the share as a number between 0 and 1."
        if math.isclose(a, fb.mean(), abs_tol=0.01):
            return "that is the mean CSAT score, not the share of 4s and 5s."
        if math.isclose(a, (fb >= 3).mean(), abs_tol=0.002):
            return "you counted 3 as satisfied; top-2-box is 4 and 5 only."
        if math.isclose(a, (fb == 5).mean(), abs_tol=0.002):
            return "that is the share of 5s only (top box); top-2-box counts 4s too."
        return None


@exercise
class q2(PandasExercise, NumericExercise):
    prompt = (
        "Check the funnel plot by hand, with pandas: for each agent in `agent_feedback`, the share of "
        "satisfied answers (CSAT 4-5) and the number of answers n; the company's share p̄ over all "
        "answers; then count the agents whose share lies **outside the 99.8% funnel limits**, on either side, "
        "with their normal approximation p̄ ± 3.09·sqrt(p̄(1-p̄)/n) (every agent here has dozens of answers, "
        "where it flags the same agents as the exact limits the lesson draws)."
    )
    hints = (
        "Make a True/False column 'satisfied' first; every number you need is a mean or a count of it.",
        "Group the answers by `agent_id`: each agent needs two numbers, its share satisfied and its "
        "number of answers (`.agg([...])` gives both at once).",
        "p̄ is the share satisfied among *all* answers together, not the average of the agents' shares. "
        "Then, for each agent, how many standard errors sqrt(p̄(1-p̄)/n) away from p̄ is its share? "
        "Count those more than 3.09 away, above or below (`.abs()`).",
    )
    solution_code = (
        "fb = datasets.load_agent_feedback()\n"
        "satisfied = fb['csat'] >= 4\n"
        "per_agent = satisfied.groupby(fb['agent_id']).agg(['mean', 'size'])\n"
        "pbar = satisfied.mean()\n"
        "z = (per_agent['mean'] - pbar) / np.sqrt(pbar * (1 - pbar) / per_agent['size'])\n"
        "answer = (z.abs() > 3.09).sum()"
    )
    cxlib_equivalent = "cxlib.analytics.feedback.AgentFeedback"
    rel_tol = 0.0

    def _summary(self):
        from cxlib.analytics.feedback import AgentFeedback

        return AgentFeedback().fit(_feedback()).summary

    def expected(self) -> int:
        return int(self._summary()["funnel"].str.contains("99.8").sum())

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a = int(as_number(answer))
        f = self._summary()["funnel"]
        if a == int((f != "inside").sum()):
            return "that counts every agent outside the 95% limits too; the question asks for 99.8% (z = 3.09)."
        if a in (int(f.eq("below 99.8%").sum()), int(f.eq("above 99.8%").sum())):
            return "that is one side only; count agents above *and* below the 99.8% limits."
        if a == _outside_unweighted_centre():
            return (
                "your p̄ looks like the average of the agents' shares; the centre is the share satisfied "
                "among all answers together (agents with more answers weigh more)."
            )
        return None


def _outside_unweighted_centre() -> int:
    """Agents outside the 99.8% limits around the *mean of the agents' shares* (a known mistake)."""
    fb = _feedback().dropna(subset=["csat"])
    per = (fb["csat"] >= 4).groupby(fb["agent_id"]).agg(["mean", "size"])
    p = float(per["mean"].mean())
    z = (per["mean"] - p) / np.sqrt(p * (1 - p) / per["size"])
    return int((z.abs() > 3.09).sum())


@exercise
class q3(FunctionExercise):
    prompt = (
        "Write a function `shrink(k, n, alpha, beta)` that returns an agent's "
        "**empirical-Bayes (posterior) mean** satisfied rate: `k` satisfied answers out "
        "of `n`, prior Beta(`alpha`, `beta`)."
    )
    hints = (
        "The prior acts like `alpha` extra satisfied and `beta` extra unsatisfied answers.",
        "Posterior mean = (k + alpha) / (n + alpha + beta).",
    )
    solution_code = "def shrink(k, n, alpha, beta):\n    return (k + alpha) / (n + alpha + beta)"

    def cases(self):
        a, b = 10.686, 2.316  # the lesson's worked example of 8 agents (method of moments)
        return [((k, n, a, b), (k + a) / (n + a + b)) for k, n in [(5, 5), (2, 3), (58, 80), (250, 300), (0, 0)]]

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        try:
            got = float(answer(2, 3, 10.686, 2.316))
        except Exception:
            return None
        if math.isclose(got, 2 / 3):
            return "it returns the raw rate k/n; add the prior's pseudo-counts to both."
        if math.isclose(got, (2 + 10.686) / (3 + 10.686)):
            return "the denominator needs both alpha and beta: n + alpha + beta."
        return None


@exercise
class q4(ChoiceExercise):
    prompt = (
        "The EWMA chart for one team crosses its upper limit on Tuesday. What is the right "
        "first response? Choose `'investigate'` (look for a process cause with the team), "
        "`'blame'` (name the team's worst agent), `'pay'` (cut the team's bonus) or "
        "`'wait'` (ignore it until the monthly report)."
    )
    choices = ("investigate", "blame", "pay", "wait")
    why_not = {
        "blame": "an alarm says the process changed, not who caused it; most causes are systems "
        "(routing, tools, policy). Naming an agent on a few surveys is unfair (section 1).",
        "pay": "article 000 warns against tying CX scores to pay: it invites gaming and score-begging.",
        "wait": "the point of a real-time monitor is to act within days; an alarm you ignore is a "
        "month of harmed customers.",
    }
    hints = (
        "Re-read the note after the replay: what does an alarm *mean*?",
        "An alarm says the process has probably changed, not who is to blame; a false alarm now and then is expected.",
    )
    solution_code = "answer = 'investigate'"
    solution_text = "an alarm means 'investigate the process', not 'blame the agent' (Montgomery; article 000)."

    def expected(self) -> str:
        return "investigate"


@exercise
class q5(NumericExercise):
    prompt = (
        "Take 2023 as Phase I. Compute the overall share of **dissatisfied** answers "
        "(CSAT 1-3) in 2023, p̄, and the **upper 3σ p-chart limit for a day with n = 50 "
        "answers**: p̄ + 3·sqrt(p̄(1-p̄)/50)."
    )
    hints = (
        "Dissatisfied is `csat <= 3`; keep the rows with `date.dt.year == 2023`.",
        "`F.p_chart([0], [50], p0=pbar)['ucl']` computes the limit for you.",
    )
    solution_code = (
        "fb = datasets.load_agent_feedback()\n"
        "pbar = (fb.loc[fb['date'].dt.year == 2023, 'csat'] <= 3).mean()\n"
        "answer = pbar + 3 * np.sqrt(pbar * (1 - pbar) / 50)"
    )
    scale = "share"
    abs_tol = 0.002
    rel_tol = 0.0

    def _pbar(self) -> float:
        fb = _feedback()
        return float((fb.loc[fb["date"].dt.year == 2023, "csat"].dropna() <= 3).mean())

    def expected(self) -> float:
        p = self._pbar()
        return p + 3 * math.sqrt(p * (1 - p) / 50)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        a, p = as_number(answer), self._pbar()
        if math.isclose(a, p, abs_tol=0.002):
            return "that is the centre line p̄; add three standard errors for the upper limit."
        if math.isclose(a, 1 - p + 3 * math.sqrt(p * (1 - p) / 50), abs_tol=0.002):
            return "you started from the satisfied share; the chart watches the dissatisfied share (CSAT 1-3)."
        if math.isclose(a, p + 2 * math.sqrt(p * (1 - p) / 50), abs_tol=0.002):
            return "that is a 2σ limit; a Shewhart p-chart uses 3σ."
        return None


@exercise
class q6(OpenExercise):
    prompt = (
        "**Discuss.** A team lead wants this quarter's \"worst agent\" named at Monday's meeting, from the "
        "quarter's post-interaction surveys. In four or five sentences, using this lesson's numbers, tell "
        "them why not, and what you would show at the meeting instead."
    )
    hints = (
        "Start from how many answers an agent has in one quarter, and how wide a raw interval on that many is.",
        "Section 1's simulation says how often the agent named worst on twelve surveys is truly the worst. "
        "What does the funnel plot over two years show instead, and what could still explain an agent outside it?",
        "End with what the scores are for (coaching or pay?), as article 000 argues.",
    )
    model_answer = (
        "Not on one quarter: an agent has a median of {median_n:.0f} answers in a quarter, so a raw 95% interval "
        "is about {width:.0f} points wide, and section 1's simulation shows that the agent named worst on twelve "
        "surveys is often not the team's worst. I would show two years of surveys instead: shrunk rates with their "
        "intervals, and the funnel plot, where {n_out} of {n_agents} agents sit outside the 99.8% limits, far more "
        "than chance alone would put there. Even they may owe it to their queue (complaints, long e-mail waits, "
        "the outsourced team's process change), so compare agents within a team after adjusting for case mix, "
        "ask why before who, and use the scores for coaching conversations, not for a public label or for pay "
        "(article 000)."
    )
    look_for = (
        "the few answers per agent in a quarter and the width of their intervals",
        "the simulation: the named worst is often not truly the worst",
        "shrunk rates with intervals, the funnel plot over a longer period",
        "case mix and queue (compare within a team)",
        "coaching, not pay or public blame",
    )
    self_check = (
        "Did you give a number for how few answers a quarter holds, or how wide its intervals are?",
        "Did you say what you would show instead of a ranking?",
        "Did you say what else, besides the agent, could explain a low score?",
    )

    def facts(self) -> dict[str, Any]:
        from cxlib.analytics.feedback import AgentFeedback

        fb = _feedback()
        quarter = AgentFeedback().fit(fb[fb["date"] < "2023-04-01"]).summary
        whole = AgentFeedback().fit(fb).summary
        return {
            "median_n": float(quarter["n"].median()),
            "width": float(100 * (quarter["raw_high"] - quarter["raw_low"]).median()),
            "n_out": int(whole["funnel"].str.contains("99.8").sum()),
            "n_agents": len(whole),
        }
