"""The server the app runs in: ``streamlit run``, plus one repair of mistyped nested addresses.

Streamlit answers an unknown address with its ``index.html``, whose assets are relative (``./static/…``).
Under a nested address (``/region/xyz/abc``) the browser then asks for ``/region/xyz/static/js/….js``, gets
the HTML again, and the page stays blank: no notice, no way back. :class:`NestedPaths` sends such requests
(Streamlit's static files, components, media, ``app/static``) to where they live, so the page
loads, Streamlit reports the unknown page and the app opens 总览 with its Chinese notice (ui/errors).

``python -m ui.server [streamlit run options]`` is ``streamlit run app.py`` with this repair and a warm-up
(:mod:`ui.warmup`: what the first visitor's page run would do, done as the server starts); ``make run`` and the
browser tests start the app this way.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

APP = Path(__file__).resolve().parents[1] / "app.py"
# never ``_stcore``: the page finds the app's root by asking ``<each parent>/_stcore/health`` and must get a 404
# below the root (Streamlit reserves those paths for this); its websocket then opens at the root anyway
ROOTS = frozenset({"static", "component", "media", "favicon.png", "manifest.json"})
# the first segments of Streamlit's own routes (its API, assets, components, media, st.login): never pages
OWN = frozenset({"_stcore", "static", "app", "component", "media", "auth", "oauth2callback"})


def repaired(path: str) -> str | None:
    """The root address a nested asset request meant, or None when ``path`` needs no repair.

    >>> repaired("/region/xyz/static/js/index.js")
    '/static/js/index.js'
    >>> repaired("/a/b/_stcore/health") is None
    True
    >>> repaired("/a/b/app/static/world_110m.json")
    '/app/static/world_110m.json'
    >>> repaired("/static/js/index.js") is None, repaired("/region") is None, repaired("/a/b/c") is None
    (True, True, True)
    >>> repaired("/static/media/font.woff2") is None, repaired("/app/static/world_110m.json") is None
    (True, True)
    """
    parts = path.strip("/").split("/")
    if parts[0] in OWN:  # already at the root (``/static/media/…`` is Streamlit's, not ``/media/…``)
        return None
    for i in range(1, len(parts)):
        if parts[i] in ROOTS or (parts[i] == "app" and i + 1 < len(parts) and parts[i + 1] == "static"):
            return "/" + "/".join(parts[i:])
    return None


def redirect_for(raw_path: str) -> str | None:
    """Where a mistyped nested page address is sent: the same words as one segment, or None.

    The browser's Streamlit finds the app's root only one level up, so ``/region/xyz/abc`` would never
    load; ``/region%2Fxyz%2Fabc`` is one segment below the root, and Streamlit reports it as the unknown
    page ``region/xyz/abc``, which the app names in its notice.

    >>> redirect_for("/region/xyz/abc")
    '/region%2Fxyz%2Fabc'
    >>> [redirect_for(p) for p in ("/region", "/region%2Fxyz", "/static/js/a.js", "/_stcore/health")]
    [None, None, None, None]
    >>> redirect_for("/region/v1.2"), redirect_for("/%E5%9C%B0%E5%8C%BA/x")
    ('/region%2Fv1.2', '/%E5%9C%B0%E5%8C%BA%2Fx')

    Every character but the unreserved ones and the existing escapes is escaped, so the target is always a
    path on this server (``/\\evil.example/x`` must never become a ``//evil.example`` the browser would follow):

    >>> redirect_for("/\\evil.example/x"), redirect_for("/a b/<x>")
    ('/%5Cevil.example%2Fx', '/a%20b%2F%3Cx%3E')
    """
    parts = raw_path.strip("/").split("/")
    if len(parts) < 2 or parts[0] in OWN or repaired(raw_path) is not None:
        return None
    return "/" + "%2F".join(quote(part, safe="%") for part in parts)


class NestedPaths:
    """ASGI middleware: a nested page address is redirected to one segment; an asset under it is served
    from the root."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            raw = (scope.get("raw_path") or scope.get("path", "").encode()).decode("latin-1")
            target = redirect_for(raw)
            if target is not None:
                from starlette.responses import RedirectResponse

                query = scope.get("query_string", b"").decode("latin-1")
                response = RedirectResponse(target + (f"?{query}" if query else ""), status_code=302)
                await response(scope, receive, send)
                return
        if scope["type"] in ("http", "websocket"):
            fixed = repaired(scope.get("path", ""))
            if fixed is not None:
                scope = dict(scope, path=fixed, raw_path=fixed.encode())
        await self.app(scope, receive, send)


def install() -> None:
    """Put :class:`NestedPaths` after Streamlit's own middleware (its path security sees every request first),
    before the server is created."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    own = starlette_app.create_streamlit_middleware
    if getattr(own, "nested_paths", False):
        return

    def middleware():
        return [*own(), Middleware(NestedPaths)]

    middleware.nested_paths = True
    starlette_app.create_streamlit_middleware = middleware


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    install()
    from ui import warmup

    warmup.start()  # the first page run's work (imports, the shared connection, the default view), done now
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
