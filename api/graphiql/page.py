"""The GraphiQL page and the routes of its assets, with no CDN: it works offline.

Strawberry's own page loads GraphiQL, React and their styles from unpkg. This one serves the
same builds, vendored from npm at pinned versions (assets/README.md), under
`/graphiql/<version>/<file>`, where `<version>` is a hash of every asset: a browser may keep
them for a year, and a changed file comes under a new address. The page opens with
`operations.graphql` (the README's tour) in its editor. It takes its request headers from the
URL's fragment, `#headers=<url-encoded JSON>`, which a browser never sends to a server, so a
token in it reaches no access log: `graphiql_link` makes such a link, and
`omniorder token --graphiql-link URL` prints one.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

HERE = Path(__file__).parent
ASSETS = HERE / "assets"
DEFAULT_OPERATIONS = HERE / "operations.graphql"
# In the order the page loads them: each script needs the globals of those before it.
SCRIPTS = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "plugin-explorer.umd.js",
    "omniorder-graphiql.js",
)
STYLESHEETS = ("graphiql.min.css", "plugin-explorer.css")
ASSET_ROUTE = "/graphiql/{version}/{name}"
IMMUTABLE = "public, max-age=31536000, immutable"
# Only this server: a page that tried to load anything from elsewhere would be stopped.
# GraphiQL sets inline styles, and its fonts and icons are data: URLs in its stylesheet.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Omniorder GraphiQL</title>
    <link rel="icon" href="data:,">
{stylesheets}
    <style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script type="application/json" id="graphiql-config">{config}</script>
{scripts}
  </body>
</html>
"""


@functools.cache
def asset_version() -> str:
    """A hash of every asset's name and bytes: the path segment that makes their URLs
    change whenever one of them does."""
    digest = hashlib.sha256()
    for name in (*STYLESHEETS, *SCRIPTS):
        digest.update(name.encode() + b"\0" + (ASSETS / name).read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def page_html() -> str:
    """The page. Its asset URLs are relative, so they resolve beside /graphql, also behind
    a proxy that serves the API under a path prefix."""
    prefix = f"graphiql/{asset_version()}"
    config = {"defaultQuery": DEFAULT_OPERATIONS.read_text()}
    return PAGE.format(
        stylesheets="\n".join(
            f'    <link rel="stylesheet" href="{prefix}/{name}">' for name in STYLESHEETS
        ),
        # "<" escaped, so that no text in the document can end the script element.
        config=json.dumps(config).replace("<", "\\u003c"),
        scripts="\n".join(f'    <script src="{prefix}/{name}"></script>' for name in SCRIPTS),
    )


class GraphiQLPage:
    """Strawberry's view with this page in place of its CDN one (a mixin that comes before
    Strawberry's `GraphQL` among the view's bases)."""

    async def render_graphql_ide(self, request: Request) -> Response:
        headers = {"content-security-policy": CONTENT_SECURITY_POLICY, "cache-control": "no-cache"}
        return HTMLResponse(page_html(), headers=headers)


async def _asset(request: Request) -> Response:
    name = request.path_params["name"]
    if request.path_params["version"] != asset_version() or name not in (*SCRIPTS, *STYLESHEETS):
        return PlainTextResponse("Not Found", status_code=404)
    return FileResponse(ASSETS / name, headers={"cache-control": IMMUTABLE})


def asset_routes() -> list[Route]:
    """The routes that serve the page's scripts and stylesheets (GET, and HEAD)."""
    return [Route(ASSET_ROUTE, _asset, methods=["GET"])]


def graphiql_link(graphql_url: str, token: str) -> str:
    """A link to the page that fills in `Authorization: Bearer <token>`. The token goes in
    the fragment, which the browser keeps to itself; the page then removes it from the
    address bar."""
    headers = json.dumps({"Authorization": f"Bearer {token}"}, separators=(",", ":"))
    return f"{graphql_url}#headers={quote(headers, safe='')}"
