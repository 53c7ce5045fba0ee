"""Spec text -> Markdown that stays plain text in CommonMark, GFM tables and Docusaurus MDX.

Whatever a description holds (pipes, angle brackets, braces, backticks, newlines, `:::`), it must not open
JSX, an MDX expression, a table column, a code block or an admonition. Balanced backtick pairs are kept as
code spans (spec authors use them for field names and values); everything else is backslash-escaped.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# A code span: a backtick run, then text, then a run of the same length (CommonMark's rule).
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# Characters that start Markdown, GFM or MDX syntax anywhere in a line.
_INLINE = re.compile(r"[\\`*\[\]<>{}|&~]")
# Underscores only matter at word edges (`snake_case` stays readable).
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# `:name` opens a text directive in Docusaurus (remark-directive); `http://` does not.
_DIRECTIVE = re.compile(r":(?=[A-Za-z])")
# Text at the start of a line that would open a heading, list, quote, thematic break or admonition.
_LEADING = re.compile(r"^(?:[#>+=:-]|\d+(?=[.)]))")
_ESM = re.compile(r"(?:import|export)\b")
_URL_SAFE = ":/?#@!$&'*+,;=%-._~"


def _plain(text: str) -> str:
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return _DIRECTIVE.sub(r"\\:", text)


def one_line(text: str) -> str:
    """Whitespace runs (newlines included) collapsed to one space."""
    return " ".join(str(text).split())


def _escape(text: str, *, cell: bool) -> str:
    text = one_line(text)
    out: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_plain(text[last : span.start()]))
        code = span.group(0)
        # GFM splits table cells on every unescaped pipe, even inside code spans.
        out.append(code.replace("|", "\\|") if cell else code)
        last = span.end()
    out.append(_plain(text[last:]))
    escaped = "".join(out)
    leading = _LEADING.match(escaped)
    if leading:
        end = leading.end()
        escaped = escaped[:end] + "\\" + escaped[end:] if escaped[0].isdigit() else "\\" + escaped
    if _ESM.match(escaped):
        # MDX reads a line that starts with `import`/`export` as JavaScript; a character reference hides it.
        escaped = f"&#{ord(escaped[0])};" + escaped[1:]
    return escaped


def md(text: str) -> str:
    """Spec text as one line of inline Markdown (a paragraph, a heading, a list item)."""
    return _escape(text, cell=False)


def md_cell(text: str) -> str:
    """Spec text as the content of one GFM table cell."""
    return _escape(text, cell=True)


def code(text: str, *, cell: bool = False) -> str:
    """Literal text as an inline code span, whatever backticks it holds."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    span = f"{ticks}{pad}{text}{pad}{ticks}"
    return span.replace("|", "\\|") if cell else span


def fence(body: str) -> str:
    """A code fence longer than any backtick run in `body`, so the body cannot close it."""
    longest = max((len(run) for run in re.findall(r"`{3,}", body)), default=0)
    return "`" * max(3, longest + 1)


def url(address: str) -> str:
    """A link destination with no character that could end it early or open MDX syntax."""
    return quote(address, safe=_URL_SAFE).replace("(", "%28").replace(")", "%29")


def link(text: str, target: str, *, cell: bool = False) -> str:
    label = md_cell(text) if cell else md(text)
    return f"[{label}]({url(target)})"


_FENCE = re.compile(r"^(`{3,})")


def tidy(page: str) -> str:
    """One blank line between blocks and a final newline; code blocks are left exactly as they are."""
    out: list[str] = []
    closing: str | None = None
    for line in page.split("\n"):  # not splitlines(): U+2028, U+0085 and the like are text, not line ends
        if closing is None:
            opened = _FENCE.match(line)
            if opened:
                closing = opened.group(1)
            elif not line.strip():
                if out and out[-1] == "":
                    continue
                line = ""
        elif line == closing:
            closing = None
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
