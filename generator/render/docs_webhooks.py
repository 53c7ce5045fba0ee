"""A provider's webhook docs: one page per event (payload table, example, how to verify) in a `Webhooks`
folder, and the section of the provider's landing page that lists them."""

from __future__ import annotations

import json

from ..ir import Provider, WebhookEvent, Webhooks
from ..kinds import WEBHOOKS
from .docs_layout import INDEX, Layout, category, front_matter, layout, relative
from .docs_pages import CodeBlock
from .docs_types import field_rows, model_link
from .env import render as render_template
from .mdx import code, fence, link, md, tidy

FOLDER = "Webhooks"


def folder(provider: Provider, where: Layout) -> str:
    """The events' folder inside the provider's; renamed when a group or the models folder has its name."""
    taken = {f.lower() for f in (*where.groups.values(), where.models)}
    name = FOLDER
    while name.lower() in taken:
        name = "Provider-" + name
    return name


def event_page_path(provider: Provider, where: Layout, event: WebhookEvent) -> str:
    return f"{where.folder}/{folder(provider, where)}/{event.slug or 'event'}.md"


def _block(info: str, body: str) -> CodeBlock:
    return CodeBlock(fence(body), info, body)


def _python(provider: Provider, event: WebhookEvent) -> str:
    alias = provider.alias
    return (
        f"from opi.{alias}.webhooks import WebhookVerificationError, verify\n\n"
        "# body: the raw request body (bytes, before any JSON parsing); headers: the request's headers\n"
        "try:\n"
        f"    event = verify(body, headers, secret=WEBHOOK_SECRET)\n"
        "except WebhookVerificationError as exc:\n"
        "    ...  # answer 4xx; exc.reason says why (bad_signature, too_old, replayed, ...)\n"
        "else:\n"
        f"    if event.name == {event.name!r}:\n"
        f"        handle(event.data)  # a {event.model}\n"
    )


def _cli(provider: Provider, hooks: Webhooks) -> str:
    alias = provider.alias
    env = f"OPI_{alias.upper()}_WEBHOOK_SECRET"
    names = WEBHOOKS[hooks.signature.scheme].headers(hooks.signature)
    headers = " ".join(f"--header '{h}: ...'" for h in names)
    source = " --source 203.0.113.7" if hooks.signature.scheme == "ip_ranges" else ""
    return (
        f"opi {alias} webhooks verify --body delivery.json {headers}{source}".replace("  ", " ").rstrip() + "\n"
        f"opi {alias} webhooks listen --port 8000 --secret-env {env}\n"
    )


def event_page(provider: Provider, where: Layout, event: WebhookEvent, position: int) -> str:
    hooks = provider.webhooks
    assert hooks is not None
    page = event_page_path(provider, where, event)
    models = relative(page, where.model_page("_")).rsplit("/", 1)[0]
    meta = front_matter([
        ("sidebar_position", position),
        ("description", f"The {event.name} webhook event of the {provider.title} API: payload and verification."),
        ("keywords", [provider.title, provider.alias, event.name, "webhook"]),
    ])
    example = json.dumps(event.example, ensure_ascii=False, indent=2) + "\n"
    return tidy(render_template(
        "docs/webhook.md.j2",
        front_matter=meta,
        title=md(event.name),
        description=md(event.description),
        model=model_link(event.model, models),
        fields=field_rows(provider.schemas[event.model], models, provider.schemas),
        type_field=code(".".join(hooks.type_field)),
        name=code(event.name),
        example=_block('json title="Example payload"', example),
        wording=WEBHOOKS[hooks.signature.scheme].wording(hooks.signature, code),
        python=_block('python title="Verify and parse"', _python(provider, event)),
        cli=_block('bash title="On the command line"', _cli(provider, hooks)),
        max_bytes=hooks.max_bytes,
        after=", ".join(link(m, relative(page, where.method_page(provider.method(m)))) for m in event.after),
    ))


def landing_section(provider: Provider, where: Layout) -> str:
    """Markdown for the provider's landing page: how webhooks are verified and a link per event."""
    hooks = provider.webhooks
    if hooks is None:
        return ""
    page = f"{where.folder}/{INDEX}"
    lines = ["## Webhooks", ""]
    if hooks.description:
        lines += [md(hooks.description), ""]
    lines += [
        WEBHOOKS[hooks.signature.scheme].wording(hooks.signature, code),
        "",
        f"Verify a delivery with {code(f'opi.{provider.alias}.webhooks.verify(body, headers, secret)')}, mount "
        f"{code(f'opi.{provider.alias}.webhooks.app(secret, handlers)')} in an ASGI application, or run "
        f"{code(f'opi {provider.alias} webhooks listen --port 8000')}.",
        "",
    ]
    lines += [
        f"- {link(e.name, relative(page, event_page_path(provider, where, e)))}: {md(e.description)}"
        for e in hooks.events
    ]
    return "\n".join(lines) + "\n"


def render_webhook_docs(provider: Provider) -> dict[str, str]:
    if provider.webhooks is None:
        return {}
    where = layout(provider)
    base = f"docs/{where.folder}/{folder(provider, where)}"
    files = {f"{base}/_category_.json": category("Webhooks", len(provider.groups) + 2)}
    for position, event in enumerate(provider.webhooks.events, start=1):
        files[f"docs/{event_page_path(provider, where, event)}"] = event_page(provider, where, event, position)
    return files
