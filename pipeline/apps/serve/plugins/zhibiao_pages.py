"""Datasette plugin (loaded with ``--plugins-dir``): the zhibiao index and task pages.

    /-/zhibiao                          documents and tasks, with links
    /-/zhibiao/task/<doc_id>/<task_id>  progress bars and flagged checks of one task
    /-/zhibiao/doc/<doc_id>             the text with every quantity and date highlighted

The URL parts arrive percent-encoded (Datasette routes on the raw path) and are decoded
here.  The data comes from :mod:`pipeline.apps.serve.pages`, the HTML from
:mod:`pipeline.apps.serve.templates` rendered by Datasette's autoescaping Jinja environment.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from datasette import NotFound, Response, hookimpl
from datasette.utils.asgi import AsgiFileDownload

from pipeline.apps import docview
from pipeline.apps.serve import pages, templates


def _db(datasette: Any) -> Any:
    return datasette.get_database()


async def _render(datasette: Any, request: Any, source: str, context: dict[str, Any],
                  status: int = 200) -> Response:
    template = datasette.jinja_env.from_string(source)
    db = _db(datasette)
    context = {**context, "index_url": datasette.urls.path(pages.BASE),
               "db_url": datasette.urls.database(db.name)}
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


async def index(datasette: Any, request: Any) -> Response:
    raw = request.args.get("offset") or "0"
    offset = int(raw) if raw.isdigit() else 0
    ctx = await _db(datasette).execute_fn(lambda conn: pages.index_context(conn, offset))
    return await _render(datasette, request, templates.INDEX, ctx)


async def _one_document(datasette: Any, request: Any, key: str,
                        url_for: Any) -> int | Response:
    """The id of the document ``key`` names (``?source=`` picks among documents that share
    the key), or the page that lets the reader choose one; ``url_for(source)`` links each."""
    source = request.args.get("source")
    docs = await _db(datasette).execute_fn(lambda conn: pages.find_documents(conn, key, source))
    if not docs:
        raise NotFound(f"no document {key}")
    if len(docs) > 1:
        choices = [{"source": d["source"], "url": url_for(d["source"])} for d in docs]
        return await _render(datasette, request, templates.CHOOSE,
                             {"key": key, "choices": choices})
    return int(docs[0]["id"])


async def task(datasette: Any, request: Any) -> Response:
    key = unquote(request.url_vars["doc"])
    tid = unquote(request.url_vars["tid"])
    doc_id = await _one_document(datasette, request, key,
                                 lambda source: pages.task_url(key, tid, source))
    if isinstance(doc_id, Response):
        return doc_id
    ctx = await _db(datasette).execute_fn(lambda conn: pages.task_context(conn, doc_id, tid))
    if ctx is None:
        raise NotFound(f"no task {tid} in {key}")
    return await _render(datasette, request, templates.TASK, ctx)


async def document(datasette: Any, request: Any) -> Response:
    key = unquote(request.url_vars["doc"])
    doc_id = await _one_document(datasette, request, key,
                                 lambda source: pages.doc_url(key, source))
    if isinstance(doc_id, Response):
        return doc_id
    ctx = await _db(datasette).execute_fn(lambda conn: pages.doc_context(conn, doc_id))
    if ctx is None:
        raise NotFound(f"no document {key}")
    return await _render(datasette, request, templates.DOC, ctx)


async def font(datasette: Any, request: Any) -> Any:
    """The bundled CJK font (mplfonts), for a browser with no Chinese font of its own."""
    path = docview.cjk_font_path()
    if path is None:
        raise NotFound("no bundled CJK font (pip install mplfonts)")
    return AsgiFileDownload(path, content_type="font/otf",
                            headers={"cache-control": "max-age=86400"})


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/zhibiao/?$", index),
        (r"^/-/zhibiao/task/(?P<doc>[^/]+)/(?P<tid>[^/]+)/?$", task),
        (r"^/-/zhibiao/doc/(?P<doc>[^/]+)/?$", document),
        (r"^/-/zhibiao/font/cjk\.otf$", font),
    ]
