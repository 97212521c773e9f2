"""One spelling per article URL, so a feed link and a sitemap link to the same page are one item.

Canonical form: http/https only; lower-case scheme and host (IDNA ascii); no default port,
userinfo or fragment; dot segments removed; percent-escapes normalised (non-ASCII paths such
as Arabic slugs always percent-encoded in UTF-8, escapes upper-case, unreserved characters
unescaped); tracking parameters dropped and the rest sorted; AMP and mobile variants mapped
to the ordinary page. courlan does the tracking-parameter part less predictably (its strict
mode drops every parameter it does not know, including article ids), so this is written out.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from extractors.errors import PermanentError

_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "at_", "hsa_", "__twitter", "_hs")
_TRACKING = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "cmp", "ito", "xtor", "s_cid", "smid",
    "ref", "ref_src", "ref_url", "referrer", "src", "spm", "share", "sharetype", "fb_action_ids",
    "fb_action_types", "fb_source", "fb_ref", "action_object_map", "action_type_map", "amp", "amp_js_v",
    "usqp", "ns_mchannel", "ns_source", "ns_campaign",
})
_AMP_QUERY_VALUES = {"outputtype": {"amp"}}
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp)\.(?=[^.]+\.[^.]+)")
_AMP_PATH_SUFFIX = re.compile(r"(?<=/)amp/$|/amp$|\.amp(?=\.html?$)|\.amp$", re.IGNORECASE)
_AMP_PATH_PREFIX = re.compile(r"^/amp(?=/)", re.IGNORECASE)
_AMP_CACHE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/:@!$&'()*+,;=%-._~"
_HOST_OK = re.compile(r"^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$")


class UrlError(PermanentError):
    """Not a URL rasid may fetch (wrong scheme, no host, malformed)."""


def canonicalize_url(url: str, base: str | None = None) -> str:
    """The canonical spelling of `url` (resolved against `base`); UrlError if not http(s)."""
    raw = _CONTROL.sub("", url or "").strip().replace("\\", "/")
    if not raw:
        raise UrlError("empty URL")
    try:
        absolute = urljoin(base, raw) if base else raw
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError as exc:
        raise UrlError(f"malformed URL {redact_url(raw)!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UrlError(f"only http and https URLs are fetched, not {scheme or 'a relative link'}: "
                       f"{redact_url(raw)!r}")
    host = _host(parts.hostname or "", raw)
    unwrapped = _unwrap_amp_cache(host, parts.path)
    if unwrapped is not None:
        return canonicalize_url(unwrapped)
    host = _desktop_host(host, base)
    netloc = host if port is None or port == {"http": 80, "https": 443}[scheme] else f"{host}:{port}"
    path = _normalise_path(parts.path)
    path = _AMP_PATH_PREFIX.sub("", _AMP_PATH_SUFFIX.sub("", path) or "/") or "/"
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def is_http_url(url: str) -> bool:
    """True when `url` canonicalises (http/https with a host)."""
    try:
        canonicalize_url(url)
    except UrlError:
        return False
    return True


def redact_url(url: str) -> str:
    """`url` fit for a log or an error message: no userinfo, query values masked."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        query = "&".join(f"{k}=***" if v else k for k, v in parse_qsl(parts.query, keep_blank_values=True))
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return "<malformed URL>"


def _host(hostname: str, raw: str) -> str:
    host = hostname.rstrip(".").lower()
    if not host:
        raise UrlError(f"URL has no host: {redact_url(raw)!r}")
    if ":" in host:
        host = f"[{host}]"
    else:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise UrlError(f"invalid host name in {redact_url(raw)!r}") from None
    if not _HOST_OK.match(host):
        raise UrlError(f"invalid host name in {redact_url(raw)!r}")
    return host


def _desktop_host(host: str, base: str | None) -> str:
    """m./mobile./amp. hosts to the site's ordinary host: the page's own form of it if the link
    was found on that site (example.com or www.example.com), else www."""
    if not _MOBILE_HOST.match(host):
        return host
    bare = _MOBILE_HOST.sub("", host)
    base_host = (urlsplit(base).hostname or "").lower() if base else ""
    if base_host in (bare, "www." + bare):
        return base_host
    return "www." + bare


def _unwrap_amp_cache(host: str, path: str) -> str | None:
    """Google AMP viewer and AMP cache links name the real page inside their path."""
    match = None
    if host in ("www.google.com", "google.com") and path.startswith("/amp/"):
        match = re.match(r"^/amp/(s/)?(.+)$", path)
    elif _AMP_CACHE.match(host):
        match = re.match(r"^/[a-z]/(s/)?(.+)$", path)
    if not match or "." not in match.group(2).split("/", 1)[0]:
        return None
    return ("https://" if match.group(1) else "http://") + match.group(2)


def _normalise_path(path: str) -> str:
    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    path = quote(_ESCAPE.sub(fix, path), safe=_PATH_SAFE)
    return _remove_dot_segments(path or "/")


def _remove_dot_segments(path: str) -> str:
    if "/." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for seg in segments[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    trailing = segments[-1] in (".", "..")
    return "/" + "/".join(out) + ("/" if trailing and out else "")


def _clean_query(query: str) -> str:
    if not query:
        return ""
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _is_tracking(k, v)]
    return urlencode(sorted(kept), quote_via=quote, safe="-._~")


def _is_tracking(key: str, value: str) -> bool:
    name = key.lower()
    if name in _AMP_QUERY_VALUES:
        return value.lower() in _AMP_QUERY_VALUES[name]
    return name in _TRACKING or name.startswith(_TRACKING_PREFIXES)
