"""Formulas of computed indicators, evaluated without ``eval``.

A formula is written like arithmetic over the names of the indicator's components::

    personnel / population * 10000
    (applications / prev(applications) - 1) * 100
    st_spending / total_spending * 100

It is parsed with :mod:`ast` and only these nodes are accepted: numbers, component names, ``+ - * /``, unary minus,
parentheses and the single function ``prev(name)`` (the component's figure of the previous year). Anything else
(attributes, subscripts, other calls, comparisons, ``**``) is refused when the formula is saved, so evaluation can
only ever do Decimal arithmetic on the figures it is given.
"""

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

from django.utils.translation import gettext as _

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
MAX_LENGTH = 200


class FormulaError(ValueError):
    """The formula is not one we accept; the message says why, in Vietnamese."""


class MissingInput(LookupError):
    """A figure the formula needs is not there (yet)."""

    def __init__(self, name: str, year: int):
        super().__init__(name, year)
        self.name = name
        self.year = year


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr

    @property
    def names(self) -> tuple[str, ...]:
        """The component names in the order they first appear in the text, each once: sources and missing
        inputs are then listed the same way on every run (a set's order varies between processes)."""
        found = sorted(
            (n for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id != "prev"),
            key=lambda n: (n.lineno, n.col_offset),
        )
        return tuple(dict.fromkeys(n.id for n in found))

    @property
    def uses_previous_year(self) -> bool:
        return any(isinstance(n, ast.Call) for n in ast.walk(self.tree))


def formula_parse(text: str, *, allowed_names: set[str] | None = None) -> Formula:
    """Parse and check ``text``; raise :class:`FormulaError` for anything outside the small language above."""
    text = (text or "").strip()
    if not text:
        raise FormulaError(_("Công thức trống."))
    if len(text) > MAX_LENGTH:
        raise FormulaError(_("Công thức quá dài (tối đa %(n)s ký tự).") % {"n": MAX_LENGTH})
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(_("Công thức sai cú pháp: %(text)s") % {"text": text}) from exc
    _check(tree)
    formula = Formula(text=text, tree=tree)
    if allowed_names is not None:
        unknown = set(formula.names) - allowed_names
        if unknown:
            raise FormulaError(
                _("Công thức dùng thành phần chưa khai báo: %(names)s")
                % {"names": ", ".join(sorted(unknown))}
            )
    return formula


def _check(node: ast.AST) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(_("Công thức chỉ được chứa số, tên thành phần và các phép + - * /."))
        return
    if isinstance(node, ast.Name):
        if not node.id.isidentifier() or node.id.startswith("_"):
            raise FormulaError(_("Tên thành phần không hợp lệ: %(name)s") % {"name": node.id})
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        _check(node.left)
        _check(node.right)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand)
        return
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "prev"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    ):
        return
    raise FormulaError(_("Công thức chỉ được chứa số, tên thành phần, các phép + - * / và prev(tên)."))


def formula_evaluate(formula: Formula, *, year: int, values: Mapping[tuple[str, int], Decimal]) -> Decimal:
    """The value of ``formula`` for ``year`` from ``values[(component name, year)]``.

    Raises :class:`MissingInput` when a figure is missing and :class:`ZeroDivisionError` on division by zero.
    """

    def ev(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            return _lookup(node.id, year)
        if isinstance(node, ast.Call):
            return _lookup(node.args[0].id, year - 1)
        if isinstance(node, ast.UnaryOp):
            value = ev(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        left, right = ev(node.left), ev(node.right)
        op = _BINOPS[type(node.op)]
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if right == 0:
            raise ZeroDivisionError
        return left / right

    def _lookup(name: str, y: int) -> Decimal:
        try:
            return values[(name, y)]
        except KeyError:
            raise MissingInput(name, y) from None

    with localcontext() as ctx:
        ctx.prec = 28
        ctx.traps[DivisionByZero] = True
        ctx.traps[InvalidOperation] = True
        return ev(formula.tree)


_WORD_TOKENS = re.compile(
    r"prev\(\s*([a-z_][a-z0-9_]*)\s*\)|([a-z_][a-z0-9_]*)|(\d+(?:\.\d+)?)|(\*\*|[-+*/()])"
)
_OPERATOR_WORDS = {"*": "×", "/": "÷", "+": "+", "-": "−", "(": "(", ")": ")", "**": "^"}


def formula_words(text: str, *, labels: Mapping[str, str]) -> str:
    """The formula as people read it: component names replaced by their labels, ``prev(x)`` by "x năm trước",
    × and ÷ for * and /, numbers with thousands separators: "Số người làm R&D ÷ dân số × 10.000"."""
    from django.utils import formats

    parts: list[str] = []
    for match in _WORD_TOKENS.finditer(text or ""):
        previous, name, number, operator = match.groups()
        if previous:
            parts.append(_("%(label)s năm trước") % {"label": labels.get(previous, previous)})
        elif name:
            parts.append(labels.get(name, name))
        elif number:
            value = Decimal(number)
            parts.append(formats.number_format(value, use_l10n=True, force_grouping=True))
        else:
            parts.append(_OPERATOR_WORDS[operator])
    words = " ".join(parts)
    return words.replace("( ", "(").replace(" )", ")")
