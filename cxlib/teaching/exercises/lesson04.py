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

from cxlib.teaching.exercises import ChoiceExercise, FunctionExercise, NumericExercise, as_number, exercise

__all__ = ["q1", "q2", "q3", "q4", "q5"]


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
class q2(NumericExercise):
    prompt = (
        "Fit `AgentFeedback()` (default settings) to the whole `agent_feedback` table. "
        "How many agents fall **outside the 99.8% funnel limits**, on either side?"
    )
    hints = (
        "Fit the model on the whole table; its `.summary` has one row per agent.",
        "The `funnel` column of `.summary` says where each agent sits: its labels name the limits "
        "an agent is outside of.",
        "Keep the labels that mention the 99.8% limits (`.str.contains(...)` on the column) and count the Trues.",
    )
    solution_code = (
        "s = F.AgentFeedback().fit(datasets.load_agent_feedback()).summary\n"
        "answer = s['funnel'].str.contains('99.8').sum()"
    )
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
            return "that counts every agent outside the 95% limits too; the question asks for 99.8%."
        if a in (int(f.eq("below 99.8%").sum()), int(f.eq("above 99.8%").sum())):
            return "that is one side only; count agents above *and* below the 99.8% limits."
        return None


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
        a, b = 10.686, 2.316  # the worked example of the lesson (cx_science §2)
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
