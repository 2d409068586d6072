"""Maths in Markdown, rendered offline: LaTeX between dollar signs becomes MathML.

The lessons write formulas the Jupyter way, ``$\\sqrt{n}$`` inline and ``$$...$$`` on
their own line. JupyterLab renders them with its bundled MathJax; a page built from a
lesson (the website, the slides, a ``cx run`` report) has no MathJax and must not load
one from the network. This module converts each formula to MathML when the page is
built (with the small pure-Python ``latex2mathml``), and every current browser draws
MathML natively: no script, no font, nothing fetched.

Only real maths is converted. Code spans and fenced code blocks are left alone, an
escaped ``\\$`` stays a dollar sign, and a dollar amount such as "$5 and $10" is not a
formula: as in pandoc, an opening ``$`` must be followed, and a closing ``$`` preceded,
by a non-space character, and a closing ``$`` must not be followed by a digit.

Examples
--------
>>> html = math_to_mathml("NPS runs from $-100$ to $+100$.")
>>> html.count("<math"), "$" in html
(2, False)
>>> math_to_mathml("It costs $5 and $10 a month.")
'It costs $5 and $10 a month.'
>>> math_to_mathml("`echo $HOME$` stays code")
'`echo $HOME$` stays code'
>>> find_math("a $x^2$ and \\\\(y\\\\)")
['$x^2$', '\\\\(y\\\\)']
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["latex_to_mathml", "math_to_mathml", "protect_math", "find_math", "MathError"]


class MathError(ValueError):
    """A formula that could not be converted (the message names it)."""


# Display maths first ($$...$$, \[...\]), then inline ($...$, \(...\)).
_MATH = re.compile(
    r"(?P<dd>\$\$(?P<dd_body>.+?)\$\$)"
    r"|(?P<br>\\\[(?P<br_body>.+?)\\\])"
    r"|(?P<pa>\\\((?P<pa_body>.+?)\\\))"
    r"|(?P<d>(?<![\\$\w])\$(?P<d_body>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\d))",
    re.S,
)
# Fenced code blocks and code spans: never maths.
_CODE = re.compile(
    r"(^|\n)(?P<fence>```|~~~)[^\n]*\n.*?(\n(?P=fence)[^\n]*(?=\n|$)|$)|(?P<ticks>`+)[^`].*?(?P=ticks)|``", re.S
)


def latex_to_mathml(latex: str, display: bool = False) -> str:
    """One LaTeX formula as a MathML ``<math>`` element (HTML5: no namespace needed).

    Parameters
    ----------
    latex : str
        The formula, without its ``$`` delimiters.
    display : bool
        A display (block) formula rather than an inline one.

    Returns
    -------
    str
        The ``<math>`` element.

    Examples
    --------
    >>> latex_to_mathml("x^2")
    '<math display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
    """
    from latex2mathml.converter import convert

    try:
        out = convert(latex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises several types for unknown commands
        raise MathError(
            f"cannot convert the formula ${latex}$ to MathML ({type(exc).__name__}: {exc}); "
            "simplify it or write it as text"
        ) from None
    out = out.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "")
    return out.replace("\n", "")


def _segments(text: str) -> list[tuple[bool, str]]:
    """Split ``text`` into (is_code, piece) so that maths is looked for outside code only."""
    parts, last = [], 0
    for m in _CODE.finditer(text):
        start = m.start() + (len(m.group(1)) if m.group(1) else 0)
        if start > last:
            parts.append((False, text[last:start]))
        parts.append((True, text[start : m.end()]))
        last = m.end()
    if last < len(text):
        parts.append((False, text[last:]))
    return parts


def _each_formula(text: str, fn: Callable[[str, bool, str], str]) -> str:
    out = []
    for is_code, piece in _segments(text):
        if is_code:
            out.append(piece)
            continue

        def repl(m: re.Match) -> str:
            if m.group("dd") is not None:
                return fn(m.group("dd_body"), True, m.group(0))
            if m.group("br") is not None:
                return fn(m.group("br_body"), True, m.group(0))
            if m.group("pa") is not None:
                return fn(m.group("pa_body"), False, m.group(0))
            return fn(m.group("d_body"), False, m.group(0))

        out.append(_MATH.sub(repl, piece))
    return "".join(out)


def find_math(text: str) -> list[str]:
    """The formulas (with their delimiters) in Markdown ``text``, outside code.

    Parameters
    ----------
    text : str
        Markdown.

    Returns
    -------
    list of str
        The formulas in order of appearance.
    """
    found: list[str] = []

    def keep(body: str, display: bool, whole: str) -> str:
        found.append(whole)
        return whole

    _each_formula(text, keep)
    return found


def math_to_mathml(text: str) -> str:
    """Markdown ``text`` with every formula replaced by inline MathML (code left alone).

    Parameters
    ----------
    text : str
        Markdown with ``$...$`` and ``$$...$$`` formulas.

    Returns
    -------
    str
        The Markdown with MathML in place of each formula.
    """
    return _each_formula(text, lambda body, display, whole: latex_to_mathml(body, display))


def protect_math(text: str) -> tuple[str, Callable[[str], str]]:
    """Swap each formula for a placeholder before a Markdown renderer sees it.

    Returns the text with placeholders and a function that puts the MathML back into
    the rendered HTML, so that no Markdown rule (emphasis, escapes) can touch a formula.

    Parameters
    ----------
    text : str
        Markdown with formulas.

    Returns
    -------
    tuple of (str, callable)
        The text with placeholders, and the function that restores the formulas as MathML.

    Examples
    --------
    >>> src, restore = protect_math("Var is $p_P + p_D$.")
    >>> "p_P" in src
    False
    >>> restore("<p>" + src + "</p>").count("<math")
    1
    """
    rendered: list[str] = []

    def stash(body: str, display: bool, whole: str) -> str:
        rendered.append(latex_to_mathml(body, display))
        return f"CXMATH{len(rendered) - 1:04d}X"

    protected = _each_formula(text, stash)

    def restore(html: str) -> str:
        def put(m: re.Match) -> str:
            return rendered[int(m.group(1))]

        html = re.sub(
            r"<p>\s*CXMATH(\d{4})X\s*</p>",
            lambda m: put(m) if 'display="block"' in rendered[int(m.group(1))] else m.group(0),
            html,
        )
        return re.sub(r"CXMATH(\d{4})X", put, html)

    return protected, restore
