"""The page server (Starlette): GET routes only, each a read-only session on a read-only engine.

Errors are pages, never tracebacks: an unknown story or path is a 404 page, a query the parser
refuses is the search page with its message and column (400), an unreachable archive a 503 page.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from extractors.errors import RasidError
from flows.web.front import front_page
from flows.web.outlets_page import outlets_page
from flows.web.search_page import search_page
from flows.web.site import Site
from flows.web.story import story_page

log = logging.getLogger("rasid.web")
TEMPLATES = Path(__file__).parent / "templates"
# No script runs on these pages and nothing is fetched from elsewhere; links to outlets carry no referrer.
HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                      "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
           "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
ERRORS = {404: "الصفحة غير موجودة", 405: "هذه الصفحة للقراءة فقط", 500: "خطأ داخلي", 503: "الأرشيف غير متاح"}


class Pages:
    """The routes' shared state: the site (configuration), the read-only engine and the templates."""

    def __init__(self, site: Site, engine: Engine) -> None:
        self.site, self.engine = site, engine
        self.templates = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)

    def render(self, template: str, request: Request, http_status: int = 200, **context) -> HTMLResponse:
        page = self.templates.get_template(template).render(
            request_q=request.query_params.get("q", ""), zone=self.site.clock.zone_name, **context)
        return HTMLResponse(page, status_code=http_status, headers=HEADERS)

    def session(self) -> Session:
        return Session(self.engine)

    def front(self, request: Request) -> HTMLResponse:
        with self.session() as session:
            page = front_page(session, self.site, _now())
        return self.render("front.html.j2", request, **page)

    def story(self, request: Request) -> HTMLResponse:
        with self.session() as session:
            page = story_page(session, self.site, request.path_params["story_id"])
        if page is None:
            raise HTTPException(404, f"لا قصة برقم {request.path_params['story_id']} في الأرشيف")
        return self.render("story.html.j2", request, **page)

    def search(self, request: Request) -> HTMLResponse:
        with self.session() as session:
            page, status = search_page(session, self.site, request.query_params, _now())
        return self.render("search.html.j2", request, status, **page)

    def outlets(self, request: Request) -> HTMLResponse:
        with self.session() as session:
            page = outlets_page(session, self.site, _now())
        return self.render("outlets.html.j2", request, **page)

    def error(self, request: Request, status: int, detail: str) -> HTMLResponse:
        return self.render("error.html.j2", request, status, status=status, heading=ERRORS.get(status, "خطأ"),
                           detail=detail)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def create_app(site: Site, engine: Engine) -> Starlette:
    pages = Pages(site, engine)

    async def http_error(request: Request, exc: HTTPException) -> HTMLResponse:
        detail = exc.detail if exc.status_code == 404 and exc.detail != "Not Found" else ""
        return pages.error(request, exc.status_code, detail)

    async def archive_error(request: Request, exc: Exception) -> HTMLResponse:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0] if isinstance(exc, OperationalError) else str(exc)
        log.warning("archive error on %s: %s", request.url.path, reason)
        return pages.error(request, 503, reason)

    async def server_error(request: Request, exc: Exception) -> HTMLResponse:
        log.exception("page %s failed", request.url.path)
        return pages.error(request, 500, "")

    routes = [Route("/", pages.front, methods=["GET"]),
              Route("/story/{story_id:int}", pages.story, methods=["GET"]),
              Route("/search", pages.search, methods=["GET"]),
              Route("/outlets", pages.outlets, methods=["GET"])]
    return Starlette(routes=routes, exception_handlers={
        HTTPException: http_error, RasidError: archive_error, OperationalError: archive_error,
        Exception: server_error})
