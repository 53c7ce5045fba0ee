"""The "Pages" part of a paginated method's docs page: how it pages, the iterator and the `--all` command."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..ir import Method, Provider
from ..kinds import PAGING
from .docs_examples import bash_example, batch_example, python_example
from .docs_pages import CodeBlock
from .mdx import code, fence, md


@dataclass(frozen=True)
class PagingDoc:
    text: str
    python: CodeBlock
    bash: CodeBlock
    batch: CodeBlock


def _from_first_page(method: Method) -> Method:
    """The method without its position parameter: the examples start at the first page."""
    assert method.pagination is not None
    wanted = method.pagination.parameter
    return replace(method, parameters=tuple(p for p in method.parameters if p.py_name != wanted))


def _python(provider: Provider, method: Method) -> str:
    lines = python_example(provider, _from_first_page(method)).splitlines()
    call = f"    result = client.{method.py_name}("
    start = next(i for i, line in enumerate(lines) if line.startswith(call))
    lines[start] = f"    for item in client.iter_{method.py_name}(" + lines[start][len(call) :]
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("    )") or lines[i].endswith(")"))
    lines[end] += ":"
    printed = "print(item.to_json_dict())" if method.success.model else "print(item)"
    lines[end + 1 :] = [f"        {printed}"]
    return "\n".join(lines) + "\n"


def _command(example: str, cont: str) -> str:
    return example.rstrip("\n") + f" {cont}\n  --all\n"


def paging_doc(provider: Provider, method: Method) -> PagingDoc | None:
    p = method.pagination
    if p is None:
        return None
    param = next(q for q in method.parameters if q.py_name == p.parameter)
    how = PAGING[p.style].wording.format(next=p.next or "", parameter=param.py_name, start=p.start)
    ends = ["an empty page"]
    if p.has_more:
        ends.append(f"{code(p.has_more)} false")
    if PAGING[p.style].next_in == "answer":
        ends.append(f"no {code(p.next or '')}")
    if p.short_page and p.limit:
        ends.append(f"fewer items than {code(p.limit)}")
    where = f"the list is at {code(p.items)}" if p.items else "it is the list itself"
    text = (
        f"Pages: the answer is one page; {where}. It pages {md(how)}; the last page "
        f"shows by {', '.join(ends)}. {code(f'client.iter_{method.py_name}(...)')} yields every item of every "
        f"page (with {code('async for')} on `AsyncClient`), {code('max_items=')} stops early, and "
        f"{code(f'client.pages_{method.py_name}(...)')} yields each page with its items. On the command line "
        f"{code('--all')} prints every item as one JSON line as the pages arrive; {code('--max-items N')} "
        "stops after N."
    )
    py = _python(provider, method)
    bash = _command(bash_example(provider, _from_first_page(method)), "\\")
    batch = _command(batch_example(provider, _from_first_page(method)), "^")
    return PagingDoc(
        text=text,
        python=CodeBlock(fence(py), 'python title="Every item"', py),
        bash=CodeBlock(fence(bash), 'bash title="Every item, one JSON line each"', bash),
        batch=CodeBlock(fence(batch), 'batch title="Every item, one JSON line each"', batch),
    )
