"""The one check for every redirect target that comes from the request (``?next=`` and the like)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

MAX_TARGET = 2000


def _dots_removed(path: str) -> str:
    """The path as a browser resolves it (RFC 3986 5.2.4): ``/a/../b`` is ``/b``, ``/.//x`` is ``//x``."""
    segments: list[str] = []
    parts = path.split("/")[1:]
    for i, seg in enumerate(parts):
        if seg == ".":
            if i == len(parts) - 1:
                segments.append("")
            continue
        if seg == "..":
            if segments:
                segments.pop()
            if i == len(parts) - 1:
                segments.append("")
            continue
        segments.append(seg)
    return "/" + "/".join(segments)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a plain path on this site once normalised, else None (go to the default page).

    Refused: anything with a control character or space (a browser drops tabs and newlines, so
    ``/<TAB>/evil.example`` would become ``//evil.example``; CR/LF would split the Location header), a scheme
    or host (``https://…``, ``//evil``), a backslash (``/\\evil``, which browsers read as ``//``), a path
    that becomes ``//host`` once its dot segments are resolved (``/.//evil``, ``/a/..//evil``) or once
    percent-decoded (``/%2F/evil``, ``/%5Cevil``), and anything over 2,000 characters.

    >>> safe_next("/en/opportunities?page=2")
    '/en/opportunities?page=2'
    >>> [safe_next(t) for t in ("/\\t/evil.example", "//evil.example", "/.//evil.example", "/%2F/evil.example")]
    [None, None, None, None]
    """
    if not target or len(target) > MAX_TARGET or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    # Check the path as the browser will read it, and again once decoded (a proxy or a second hop may decode).
    for path in (target.split("?", 1)[0].split("#", 1)[0], unquote(parts.path)):
        if "\\" in path or any(ch.isspace() or ord(ch) < 0x20 for ch in path):
            return None
        resolved = _dots_removed(path)
        if resolved.startswith("//") or path.startswith("//"):
            return None
    return target
