"""A tiny expression language for the spec's conditional-field rules (conditions.csv).

HUD states its conditions in prose ("Null unless LivingSituation = 435", "Non-null if ProjectType = 13 and
RRHSubType = 1"). Hearth keeps them as data in the same words and compiles them twice: to Polars expressions
for whole-file validation (hearth.exchange.rules) and to plain Python for one record (forms, actions).

Grammar:  expr := or;  or := and ("or" and)*;  and := unary ("and" unary)*;  unary := "not" unary | atom
          atom := "(" expr ")" | operand "is" ["not"] "null" | operand "in" "(" literal* ")"
                | operand op operand         (op: = <> != < <= > >=)
          operand := name ["+" int | "-" int] | int | "@year" | "@unhashed"
A name is a column of the same record, or ``Project.Column`` for the record's project.
Comparisons with an empty value are unknown, and a rule's condition holds only when it is true.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Union

Expr = Union["Or", "And", "Not", "Compare", "In", "IsNull", "Special"]
Operand = Union["Ref", "Const", "Special"]


@dataclass(frozen=True)
class Ref:
    name: str
    offset_days: int = 0  # "ExitDate + 180"

    @property
    def qualifier(self) -> str | None:
        return self.name.split(".", 1)[0] if "." in self.name else None

    @property
    def column(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Const:
    value: int


@dataclass(frozen=True)
class Special:
    name: str  # "year" | "unhashed"


@dataclass(frozen=True)
class Or:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class And:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class Compare:
    op: str
    left: Operand
    right: Operand


@dataclass(frozen=True)
class In:
    operand: Ref
    values: tuple[int, ...]


@dataclass(frozen=True)
class IsNull:
    operand: Ref
    negated: bool


class ExpressionError(ValueError):
    pass


_TOKEN = re.compile(r"\s*(?:(<>|!=|<=|>=|=|<|>|\+|-|\(|\)|,)|(@[a-z]+)|(\d+)|([A-Za-z_][A-Za-z0-9_.]*))")
_KEYWORDS = {"and", "or", "not", "in", "is", "null"}


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read {text[position:]!r} in {text!r}")
        tokens.append(next(group for group in match.groups() if group is not None))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token.lower() != expected):
            raise ExpressionError(f"expected {expected or 'more'} at token {self.index} in {self.text!r}")
        self.index += 1
        return token

    def parse(self) -> Expr:
        expr = self.or_()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()!r} in {self.text!r}")
        return expr

    def or_(self) -> Expr:
        left = self.and_()
        while (self.peek() or "").lower() == "or":
            self.take()
            left = Or(left, self.and_())
        return left

    def and_(self) -> Expr:
        left = self.unary()
        while (self.peek() or "").lower() == "and":
            self.take()
            left = And(left, self.unary())
        return left

    def unary(self) -> Expr:
        if (self.peek() or "").lower() == "not":
            self.take()
            return Not(self.unary())
        return self.atom()

    def atom(self) -> Expr:
        if self.peek() == "(":
            self.take("(")
            inner = self.or_()
            self.take(")")
            return inner
        left = self.operand()
        keyword = (self.peek() or "").lower()
        if keyword == "is":
            self.take()
            negated = (self.peek() or "").lower() == "not"
            if negated:
                self.take()
            self.take("null")
            return IsNull(self._ref(left), negated)
        if keyword == "in":
            self.take()
            self.take("(")
            values: list[int] = []
            while self.peek() != ")":
                if self.peek() == ",":
                    self.take()
                    continue
                values.append(int(self.take()))
            self.take(")")
            return In(self._ref(left), tuple(values))
        if keyword in {"=", "<>", "!=", "<", "<=", ">", ">="}:
            op = self.take()
            return Compare("<>" if op == "!=" else op, left, self.operand())
        if isinstance(left, Special):
            return left
        raise ExpressionError(f"expected a comparison after {left} in {self.text!r}")

    def _ref(self, operand: Operand) -> Ref:
        if not isinstance(operand, Ref):
            raise ExpressionError(f"expected a column name in {self.text!r}")
        return operand

    def operand(self) -> Operand:
        token = self.take()
        if token.startswith("@"):
            return Special(token[1:])
        if token.isdigit():
            return Const(int(token))
        if token.lower() in _KEYWORDS or not re.match(r"[A-Za-z_]", token):
            raise ExpressionError(f"unexpected {token!r} in {self.text!r}")
        if self.peek() in {"+", "-"}:
            sign = 1 if self.take() == "+" else -1
            return Ref(token, sign * int(self.take()))
        return Ref(token)


def parse(text: str) -> Expr:
    return _Parser(text).parse()


def references(expr: Expr | Operand) -> set[str]:
    """Every column name an expression reads (qualified names kept qualified)."""
    match expr:
        case Or(left, right) | And(left, right):
            return references(left) | references(right)
        case Not(operand):
            return references(operand)
        case Compare(_, left, right):
            return references(left) | references(right)
        case In(operand, _) | IsNull(operand, _):
            return {operand.name}
        case Ref(name, _):
            return {name}
        case _:
            return set()


def evaluate(expr: Expr, row: Mapping[str, Any], specials: Mapping[str, Any]) -> bool | None:
    """Evaluate for one record with SQL's three-valued logic (None = unknown)."""
    match expr:
        case Or(left, right):
            a, b = evaluate(left, row, specials), evaluate(right, row, specials)
            if a is True or b is True:
                return True
            return None if a is None or b is None else False
        case And(left, right):
            a, b = evaluate(left, row, specials), evaluate(right, row, specials)
            if a is False or b is False:
                return False
            return None if a is None or b is None else True
        case Not(operand):
            value = evaluate(operand, row, specials)
            return None if value is None else not value
        case IsNull(operand, negated):
            is_null = _value(operand, row, specials) is None
            return not is_null if negated else is_null
        case In(operand, values):
            value = _value(operand, row, specials)
            return None if value is None else value in values
        case Compare(op, left, right):
            a, b = _value(left, row, specials), _value(right, row, specials)
            if a is None or b is None:
                return None
            return _COMPARE[op](a, b)
        case Special(name):
            value = specials.get(name)
            return None if value is None else bool(value)
    raise ExpressionError(f"cannot evaluate {expr!r}")


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _value(operand: Operand, row: Mapping[str, Any], specials: Mapping[str, Any]) -> Any:
    match operand:
        case Const(value):
            return value
        case Special(name):
            return specials.get(name)
        case Ref(name, offset):
            found: Any = row.get(name)
            if found is not None and offset:
                if isinstance(found, dt.date):
                    return found + dt.timedelta(days=offset)
                return found + offset
            return found
    raise ExpressionError(f"cannot read {operand!r}")
