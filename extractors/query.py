"""The topic query language: parse a query into a small immutable tree.

    query := or ;  or := and ("OR" and)* ;  and := near ("AND" near)*
    near  := unary ("NEAR/n" unary)* ;  unary := "NOT" unary | "title:" unary | primary
    primary := "(" query ")" | "phrase" | «phrase» | word | word* | @list

Operators are upper case (a lower-case `and` is an English word). In a topic file two
words side by side are an error, not an implicit AND, because an analyst who writes
القوات الأمريكية without quotes almost always meant the phrase, and a topic alerts for
months on what it was read as. A search box is the other case: `implicit_and=True` reads
words side by side as AND (`and := near ("AND"? near)*`), as every search box does, and
`query_text` prints the explicit reading back so the searcher sees it. Errors say what
was expected and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.arabic import tokenize
from extractors.errors import ConfigError
from extractors.stemming import query_word


class QuerySyntaxError(ConfigError):
    """A query that cannot be parsed; offset is the index of the mistake in the query text."""

    def __init__(self, message: str, *, offset: int, source: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        self.offset = offset
        super().__init__(message, source=source, line=line, column=column)


@dataclass(frozen=True)
class Word:
    """One token pattern: the normalized lookup form, matched whole or as a prefix."""

    form: str
    prefix: bool = False


class Node:
    """Base of query tree nodes."""


@dataclass(frozen=True)
class Term(Node):
    """A word or a phrase (several Words in a row); text is how the query wrote it."""

    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class ListRef(Node):
    """@name: any item of a named list from lists.yaml."""

    name: str
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True)
class And(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    child: Node


@dataclass(frozen=True)
class Near(Node):
    """Both sides hit within `distance` tokens of each other, in either order."""

    left: Node
    right: Node
    distance: int


@dataclass(frozen=True)
class Title(Node):
    """Every hit below must be in the article's title."""

    child: Node


_OPEN_QUOTES = {'"': '"', "«": "»", "“": "”", "”": "”"}
_LEXEME = re.compile(r'\s*(?:(?P<paren>[()])|(?P<field>title:)|(?P<quote>["«“”])|(?P<word>[^\s()"«»“”]+))',
                     re.IGNORECASE)
_NEAR = re.compile(r"NEAR(?:/(\d+))?$")
MAX_NEAR = 1000
MAX_PHRASE_WORDS = 64


@dataclass(frozen=True)
class _Lexeme:
    kind: str      # "(" ")" field phrase word AND OR NOT NEAR end
    text: str
    offset: int
    distance: int = 0


def _lex(text: str, error) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    pos = 0
    while True:
        found = _LEXEME.match(text, pos)
        if found is None or found.end() == found.start() or not found.lastgroup:
            rest = text[pos:]
            if rest.strip():
                at = pos + len(rest) - len(rest.lstrip())
                raise error(f"unexpected character {text[at]!r}", at)
            out.append(_Lexeme("end", "", len(text)))
            return out
        start = found.start(found.lastgroup)
        value = found.group(found.lastgroup)
        pos = found.end()
        if found.lastgroup == "paren":
            out.append(_Lexeme(value, value, start))
        elif found.lastgroup == "field":
            out.append(_Lexeme("field", "title", start))
        elif found.lastgroup == "quote":
            close = text.find(_OPEN_QUOTES[value], pos)
            if close < 0:
                raise error(f"expected a closing {_OPEN_QUOTES[value]} for the phrase opened here", start)
            out.append(_Lexeme("phrase", text[pos:close], start))
            pos = close + 1
        else:
            out.append(_word_lexeme(value, start, error))


def _word_lexeme(value: str, start: int, error) -> _Lexeme:
    if value in ("AND", "OR", "NOT"):
        return _Lexeme(value, value, start)
    near = _NEAR.match(value)
    if near:
        if near.group(1) is None:
            raise error("NEAR needs a distance in tokens, e.g. NEAR/10", start)
        distance = int(near.group(1))
        if not 1 <= distance <= MAX_NEAR:
            raise error(f"NEAR distance must be between 1 and {MAX_NEAR}", start)
        return _Lexeme("NEAR", value, start, distance)
    return _Lexeme("word", value, start)


_OPERAND_START = ("word", "phrase", "field", "(", "NOT")


class _Parser:
    def __init__(self, text: str, error, implicit_and: bool = False) -> None:
        self.text, self.error, self.implicit_and = text, error, implicit_and
        self.lexemes = _lex(text, error)
        self.pos = 0

    @property
    def peek(self) -> _Lexeme:
        return self.lexemes[self.pos]

    def take(self) -> _Lexeme:
        lexeme = self.lexemes[self.pos]
        self.pos += 1
        return lexeme

    def parse(self) -> Node:
        node = self.or_()
        if self.peek.kind != "end":
            self.unexpected("AND, OR, NEAR/n or the end of the query")
        return node

    def unexpected(self, expected: str):
        lexeme = self.peek
        found = "the end of the query" if lexeme.kind == "end" else repr(lexeme.text)
        hint = ""
        if lexeme.kind in ("word", "phrase", "field", "(") and self.pos > 0:
            hint = " (two terms side by side: join them with AND/OR, or put a phrase in quotes)"
        raise self.error(f"expected {expected}, found {found}{hint}", lexeme.offset)

    def or_(self) -> Node:
        return self.chain("OR", self.and_, Or)

    def and_(self) -> Node:
        return self.chain("AND", self.near, And, implicit=self.implicit_and)

    def chain(self, operator: str, operand, node_type, implicit: bool = False) -> Node:
        """operand (operator operand)*, as one n-ary node; `implicit`: the operator may be left out."""
        children = [operand()]
        while self.peek.kind == operator or (implicit and self.peek.kind in _OPERAND_START):
            if self.peek.kind == operator:
                self.take()
            children.append(operand())
        return children[0] if len(children) == 1 else node_type(tuple(children))

    def near(self) -> Node:
        start = self.peek.offset
        node = self.unary()
        while self.peek.kind == "NEAR":
            op = self.take()
            right_start = self.peek.offset
            right = self.unary()
            for side, offset in ((node, start), (right, right_start)):
                if isinstance(side, Not):
                    raise self.error("NEAR cannot take a NOT operand; use (a NEAR/n b) AND NOT c", offset)
            node = Near(node, right, op.distance)
        return node

    def unary(self) -> Node:
        lexeme = self.peek
        if lexeme.kind == "NOT":
            self.take()
            return Not(self.unary())
        if lexeme.kind == "field":
            self.take()
            return Title(self.unary())
        return self.primary()

    def primary(self) -> Node:
        lexeme = self.peek
        if lexeme.kind == "(":
            self.take()
            node = self.or_()
            if self.peek.kind != ")":
                self.unexpected(f'")" to close the "(" at column {lexeme.offset + 1} of the query')
            self.take()
            return node
        if lexeme.kind == "phrase":
            self.take()
            return term_from_text(lexeme.text, lexeme.offset + 1, self.error, quoted=True)
        if lexeme.kind == "word":
            self.take()
            if lexeme.text.startswith("@"):
                return self.list_ref(lexeme)
            return term_from_text(lexeme.text, lexeme.offset, self.error, quoted=False)
        self.unexpected('a term, a "phrase", @list, NOT, title: or "("')
        raise AssertionError  # unexpected() always raises

    def list_ref(self, lexeme: _Lexeme) -> ListRef:
        name = lexeme.text[1:]
        if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
            raise self.error("a list name is letters, digits, _ or - after @, e.g. @bases", lexeme.offset)
        return ListRef(name, lexeme.offset)


def term_from_text(text: str, offset: int, error, *, quoted: bool) -> Term:
    """A word or phrase as typed; a word directly followed by * matches as a prefix."""
    tokens = tokenize(text)
    if not tokens:
        what = "an empty phrase" if quoted else f"{text!r} has no letters or digits"
        raise error(f"{what}: expected a word to match", offset)
    prefixed = {index for index, token in enumerate(tokens) if text.startswith("*", token.end)}
    glued = [t for t in tokens if t.start > 0 and text[t.start - 1] == "*"]
    if text.count("*") != len(prefixed) or glued:
        raise error("* must directly follow a word and end it (prefix match), e.g. انسحب*", offset + text.find("*"))
    if len(tokens) > MAX_PHRASE_WORDS:
        raise error(f"a phrase may hold at most {MAX_PHRASE_WORDS} words", offset)
    words = []
    for index, token in enumerate(tokens):
        is_prefix = index in prefixed
        form = query_word(token.forms[0], prefix=is_prefix)
        if is_prefix and len(form) < 2:
            raise error(f"prefix {form + '*'!r} is too short: give at least 2 letters", offset + token.start)
        words.append(Word(form, is_prefix))
    shown = f'"{text.strip()}"' if quoted else text
    return Term(shown, tuple(words))


def parse_query(text: str, *, source: str = "", line: int = 1, column: int = 1, implicit_and: bool = False) -> Node:
    """Parse a topic query; QuerySyntaxError names source, line and column of the mistake.

    line/column give where the query text starts in its file (the YAML value).
    implicit_and: words side by side mean AND (a search box); topic files leave it off.
    """
    def error(message: str, offset: int) -> QuerySyntaxError:
        before = text[:offset]
        newlines = before.count("\n")
        col = column + offset if newlines == 0 else offset - before.rfind("\n")
        return QuerySyntaxError(message, offset=offset, source=source or None, line=line + newlines, column=col)

    if not text.strip():
        raise error("the query is empty: expected a term", 0)
    node = _Parser(text, error, implicit_and).parse()
    if can_match_without_terms(node):
        raise error("the query must require at least one term (NOT alone would match every article)", 0)
    return node


def can_match_without_terms(node: Node) -> bool:
    """True if the node is satisfied by an article where no term hits (e.g. `NOT x`)."""
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(can_match_without_terms(child) for child in node.children)
    if isinstance(node, Or):
        return any(can_match_without_terms(child) for child in node.children)
    if isinstance(node, Title):
        return can_match_without_terms(node.child)
    return False


def list_refs(node: Node) -> list[ListRef]:
    """Every @list the query uses, in order."""
    if isinstance(node, ListRef):
        return [node]
    if isinstance(node, (And, Or)):
        return [ref for child in node.children for ref in list_refs(child)]
    if isinstance(node, (Not, Title)):
        return list_refs(node.child)
    if isinstance(node, Near):
        return list_refs(node.left) + list_refs(node.right)
    return []


def query_text(node: Node) -> str:
    """The query written out with every operator explicit; parsing it gives the same tree.

    Shows a searcher how words side by side were read (عين الأسد -> عين AND الأسد), and
    hands that reading to code that parses queries the strict way (the topic matcher).
    """
    if isinstance(node, Term):
        return _term_text(node)
    if isinstance(node, ListRef):
        return "@" + node.name
    if isinstance(node, (And, Or)):
        joiner = " AND " if isinstance(node, And) else " OR "
        return joiner.join(_operand_text(child) for child in node.children)
    if isinstance(node, Not):
        return "NOT " + _operand_text(node.child)
    if isinstance(node, Near):
        return f"{_operand_text(node.left)} NEAR/{node.distance} {_operand_text(node.right)}"
    if isinstance(node, Title):
        return "title:" + _operand_text(node.child)
    raise TypeError(f"not a query node: {node!r}")


def _operand_text(node: Node) -> str:
    """A child in parentheses unless it binds tighter than any operator around it (a term, NOT, title:)."""
    text = query_text(node)
    return text if isinstance(node, (Term, ListRef, Not, Title)) else f"({text})"


def _term_text(term: Term) -> str:
    """A word as typed; a phrase between the first kind of quotes its text does not hold."""
    if not term.text.startswith('"'):
        return term.text
    inner = term.text[1:-1]
    for opening, closing in (('"', '"'), ("«", "»"), ("“", "”")):
        if opening not in inner and closing not in inner:
            return f"{opening}{inner}{closing}"
    raise ValueError(f"a phrase holding every kind of quote cannot be written back: {term.text!r}")


def explain(node: Node, indent: str = "") -> str:
    """The tree as indented text, showing the normalized form each word is looked up by."""
    pad = indent + "  "
    if isinstance(node, Term):
        forms = " ".join(w.form + ("*" if w.prefix else "") for w in node.words)
        kind = "phrase" if len(node.words) > 1 else ("prefix" if node.words[0].prefix else "word")
        return f"{indent}{kind} {node.text}  → {forms}"
    if isinstance(node, ListRef):
        return f"{indent}list @{node.name}"
    if isinstance(node, (And, Or)):
        head = "AND" if isinstance(node, And) else "OR"
        return "\n".join([indent + head] + [explain(child, pad) for child in node.children])
    if isinstance(node, Not):
        return f"{indent}NOT\n{explain(node.child, pad)}"
    if isinstance(node, Near):
        return f"{indent}NEAR/{node.distance}\n{explain(node.left, pad)}\n{explain(node.right, pad)}"
    if isinstance(node, Title):
        return f"{indent}title:\n{explain(node.child, pad)}"
    raise TypeError(f"not a query node: {node!r}")
