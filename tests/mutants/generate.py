#!/usr/bin/env python3
"""tests/mutants/generate.py: the mutation sites of ref/src/*.c, and one mutant's source.

    generate.py list [--sample N] [--seed S]     every mutant id, one per line (or a sample)
    generate.py apply ID OUTDIR                   write the mutated file as OUTDIR/<file>.c
    generate.py show ID                           the line before and after

A mutant id is FILE:LINE:COL:OPERATOR:REPLACEMENT, for example pipe.c:120:17:rel:<=. The
sites come from a small C lexer that skips comments, strings, character constants and
preprocessor lines, so the same source always gives the same ids in the same order.

Operators (README.md here):
    rel      < <= > >= == != each to its neighbour (< and <=, > and >=, == and !=)
    logic    && and || swapped
    arith    binary + and - swapped
    const    an integer literal +1, -1 (when positive) and 0 (when not 0)
    call     a call statement (`f(...);`) deleted
    negif    an if condition negated
    ret      a `return` of an error (EVE_E..., a negative number, -1) dropped
    swap     the first two arguments of a call swapped, when both are plain names or numbers
"""
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "ref", "src")

REL = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
PUNCT = sorted(
    "<<= >>= -> ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= ... "
    "{ } ( ) [ ] ; , < > + - * / % & | ^ ! ~ ? : = .".split(),
    key=len, reverse=True)


class Tok:
    __slots__ = ("kind", "text", "pos", "line", "col")

    def __init__(self, kind, text, pos, line, col):
        self.kind, self.text, self.pos, self.line, self.col = kind, text, pos, line, col


def lex(text):
    """Tokens of C source: id, num, punct (comments, strings, chars, # lines skipped)."""
    toks, i, line, bol = [], 0, 1, 0
    n = len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            line, bol, at_line_start = line + 1, i + 1, True
            i += 1
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if at_line_start and c == "#":  # a preprocessor line, with its continuations
            while i < n and not (text[i] == "\n" and text[i - 1] != "\\"):
                if text[i] == "\n":
                    line, bol = line + 1, i + 1
                i += 1
            continue
        at_line_start = False
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            j = text.index("*/", i + 2)
            line += text.count("\n", i, j)
            if "\n" in text[i:j]:
                bol = text.rindex("\n", i, j) + 1
            i = j + 2
            continue
        if c in "\"'":
            j = i + 1
            while text[j] != c:
                j += 2 if text[j] == "\\" else 1
            toks.append(Tok("str", text[i:j + 1], i, line, i - bol + 1))
            i = j + 1
            continue
        m = re.compile(r"[A-Za-z_]\w*").match(text, i)
        if m:
            toks.append(Tok("id", m.group(), i, line, i - bol + 1))
            i = m.end()
            continue
        m = re.compile(r"(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)").match(text, i)
        if m:
            toks.append(Tok("num", m.group(), i, line, i - bol + 1))
            i = m.end()
            continue
        for p in PUNCT:
            if text.startswith(p, i):
                toks.append(Tok("punct", p, i, line, i - bol + 1))
                i += len(p)
                break
        else:
            raise SystemExit("generate.py: cannot lex %r at line %d" % (text[i:i + 20], line))
    return toks


def closing(toks, k):
    """Index of the bracket closing toks[k] ('(' or '[')."""
    pair = {"(": ")", "[": "]", "{": "}"}[toks[k].text]
    depth = 0
    for j in range(k, len(toks)):
        if toks[j].text == toks[k].text:
            depth += 1
        elif toks[j].text == pair:
            depth -= 1
            if depth == 0:
                return j
    raise SystemExit("generate.py: unbalanced %s" % toks[k].text)


def literal_value(text):
    m = re.match(r"(0[xX][0-9a-fA-F]+|\d+)", text)
    return int(m.group(1), 0) if m.group(1).lower().startswith("0x") else int(m.group(1), 10)


def sites(name, text):
    """(id, start, end, replacement) for every mutant of one file, in source order."""
    toks = lex(text)
    out = []

    def add(tok, op, key, start, end, repl):
        out.append(("%s:%d:%d:%s:%s" % (name, tok.line, tok.col, op, key), start, end, repl))

    depth_brace = 0
    for k, t in enumerate(toks):
        prev = toks[k - 1] if k else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.text == "{":
            depth_brace += 1
        elif t.text == "}":
            depth_brace -= 1
        if depth_brace == 0:
            continue  # declarations and initialisers outside functions: not code
        if t.kind == "punct" and t.text in REL:
            add(t, "rel", REL[t.text], t.pos, t.pos + len(t.text), REL[t.text])
        elif t.kind == "punct" and t.text in ("&&", "||"):
            r = "||" if t.text == "&&" else "&&"
            add(t, "logic", r, t.pos, t.pos + 2, r)
        elif t.kind == "punct" and t.text in ("+", "-") and prev is not None and (
                prev.kind in ("id", "num") or prev.text in (")", "]")) and not (
                prev.kind == "id" and prev.text in ("return", "case", "sizeof")):
            r = "-" if t.text == "+" else "+"
            add(t, "arith", r, t.pos, t.pos + 1, r)
        elif t.kind == "num":
            if prev is not None and prev.text == "[" and toks[k - 2].kind == "id" and \
                    k >= 3 and toks[k - 3].kind == "id":
                continue  # an array size in a declaration
            v = literal_value(t.text)
            for key, nv in (("+1", v + 1), ("-1", v - 1), ("0", 0)):
                if nv < 0 or nv == v or (key == "0" and v == 1):
                    continue  # 1 -> 0 is already the -1 mutant
                add(t, "const", key, t.pos, t.pos + len(t.text), str(nv))
        elif t.kind == "id" and t.text == "if" and nxt is not None and nxt.text == "(":
            j = closing(toks, k + 1)
            inner = text[toks[k + 2].pos:toks[j].pos]
            add(t, "negif", "!", nxt.pos, toks[j].pos + 1, "(!(" + inner + "))")
        elif t.kind == "id" and t.text == "return" and nxt is not None and nxt.text != ";":
            j = k + 1
            while toks[j].text != ";":
                j += 1
            expr = text[nxt.pos:toks[j].pos]
            if re.search(r"\bEVE_E[A-Z]+\b|^-\s*\d", expr.strip()):
                add(t, "ret", "drop", t.pos, toks[j].pos + 1, ";")
        elif t.kind == "id" and nxt is not None and nxt.text == "(" and prev is not None and \
                prev.text in (";", "{", "}", ")", "else") and t.text not in (
                    "if", "while", "for", "switch", "return", "sizeof"):
            j = closing(toks, k + 1)
            if prev.text == ")" and not is_control_paren(toks, k - 1):
                continue
            if j + 1 < len(toks) and toks[j + 1].text == ";":
                add(t, "call", "del", t.pos, toks[j + 1].pos + 1, ";")
        if t.kind == "id" and nxt is not None and nxt.text == "(" and t.text not in (
                "if", "while", "for", "switch", "return", "sizeof"):
            j = closing(toks, k + 1)
            args = split_args(toks, k + 2, j)
            if len(args) >= 2 and all(len(a) == 1 and a[0].kind in ("id", "num")
                                      for a in args[:2]) and args[0][0].text != args[1][0].text:
                a, b = args[0][0], args[1][0]
                add(t, "swap", "12", a.pos, b.pos + len(b.text),
                    b.text + text[a.pos + len(a.text):b.pos] + a.text)
    return out


def is_control_paren(toks, k):
    """Whether the ')' at toks[k] closes an if/while/for head (a statement may follow)."""
    depth = 0
    for j in range(k, -1, -1):
        if toks[j].text == ")":
            depth += 1
        elif toks[j].text == "(":
            depth -= 1
            if depth == 0:
                return j > 0 and toks[j - 1].text in ("if", "while", "for")
    return False


def split_args(toks, lo, hi):
    """The arguments between toks[lo] and toks[hi] (exclusive) as lists of tokens."""
    args, cur, depth = [], [], 0
    for t in toks[lo:hi]:
        if t.text in ("(", "[", "{"):
            depth += 1
        elif t.text in (")", "]", "}"):
            depth -= 1
        if t.text == "," and depth == 0:
            args.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        args.append(cur)
    return args


def all_mutants():
    result = []
    for name in sorted(os.listdir(SRC)):
        if name.endswith(".c"):
            with open(os.path.join(SRC, name), encoding="utf-8") as f:
                text = f.read()
            result.extend((name, text) + s for s in sites(name, text))
    return result


def find(mid):
    for m in all_mutants():
        if m[2] == mid:
            return m
    raise SystemExit("generate.py: no mutant %s in today's ref/src" % mid)


def main(argv):
    if len(argv) >= 1 and argv[0] == "list":
        ids = [m[2] for m in all_mutants()]
        if "--sample" in argv:
            n = int(argv[argv.index("--sample") + 1])
            seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
            ids = sorted(random.Random(seed).sample(ids, min(n, len(ids))),
                         key=ids.index)
        print("\n".join(ids))
        return 0
    if len(argv) == 3 and argv[0] == "apply":
        name, text, _, start, end, repl = find(argv[1])
        os.makedirs(argv[2], exist_ok=True)
        with open(os.path.join(argv[2], name), "w", encoding="utf-8") as f:
            f.write(text[:start] + repl + text[end:])
        return 0
    if len(argv) == 2 and argv[0] == "show":
        name, text, _, start, end, repl = find(argv[1])
        lo, hi = text.rfind("\n", 0, start) + 1, text.find("\n", end)
        print("- " + text[lo:hi])
        print("+ " + (text[lo:start] + repl + text[end:hi]))
        return 0
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
