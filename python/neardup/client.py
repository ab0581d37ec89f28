"""A small client for ``neardup serve`` (the standard library only).

The service keeps an index folder open and answers all day whether an article is a copy
of something already published and what else covers the same event (``docs/serve.md``).
This client speaks its JSON: answers come back as the service sends them, plain lists and
dicts (``pyarrow.Table.from_pylist(r["duplicates"])`` makes a table of one).

>>> from neardup.client import Client
>>> c = Client("http://127.0.0.1:8089")  # doctest: +SKIP
>>> c.add({"id": "a1", "text": "...", "outlet": "herald", "date": "2024-06-01"})  # doctest: +SKIP
[{'id': 'a1', 'duplicates': [...], 'related': [...]}]
>>> c.query("The central bank raised rates", top=3)["related"]  # doctest: +SKIP

Errors the service answers (a 4xx or 5xx with ``{"error": ...}``) raise
:class:`ServiceError` with the status and the service's message; a missing document is a
:class:`NotFound`, which is also a ``KeyError``.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["Client", "NotFound", "ServiceError"]


class ServiceError(Exception):
    """The service refused a request or failed it: ``status`` is the HTTP status (0 when
    the service could not be reached), ``message`` its explanation."""

    def __init__(self, status: int, message: str, url: str):
        super().__init__(f"{url}: {status}: {message}" if status else f"{url}: {message}")
        self.status = status
        self.message = message
        self.url = url


class NotFound(ServiceError, KeyError):
    """No live document with that id (HTTP 404)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return ServiceError.__str__(self)


class Client:
    """A client of the ``neardup serve`` at ``url`` (``http://HOST:PORT``).

    >>> Client("http://127.0.0.1:8080/").url
    'http://127.0.0.1:8080'
    """

    def __init__(self, url: str = "http://127.0.0.1:8080", *, timeout: float = 60.0):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        query = {k: v for k, v in params.items() if v is not None}
        url = self.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                payload = r.read()
                kind = r.headers.get_content_type()
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                message = json.loads(raw)["error"]
            except (ValueError, KeyError, TypeError):
                message = raw.decode(errors="replace") or e.reason
            cls = NotFound if e.code == 404 else ServiceError
            raise cls(e.code, message, url) from None
        except urllib.error.URLError as e:
            raise ServiceError(0, f"cannot reach the service: {e.reason}", url) from None
        return json.loads(payload) if kind == "application/json" else payload.decode()

    def wait(self, timeout: float = 30.0) -> "Client":
        """Waits until the service answers ``/health`` (one just started opens its index
        first), at most ``timeout`` seconds; returns the client.

        >>> Client("http://127.0.0.1:9").wait(timeout=0.2)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        neardup.client.ServiceError: http://127.0.0.1:9/health: not ready after 0.2 s: cannot reach the service: ...
        """
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.health()
                return self
            except ServiceError as e:
                if e.status != 0 or time.monotonic() >= deadline:
                    raise ServiceError(e.status, f"not ready after {timeout:g} s: {e.message}", e.url) from None
            time.sleep(0.05)

    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "documents", "segments", "generation"}``."""
        return self._call("GET", "/health")

    def metrics(self) -> str:
        """The Prometheus (OpenMetrics) text of ``GET /metrics``."""
        return self._call("GET", "/metrics")

    def add(
        self,
        documents: Mapping[str, Any] | Iterable[Mapping[str, Any]],
        *,
        top: int | None = None,
        bucket_cap: int | None = None,
        batch: int = 1000,
    ) -> list[dict[str, Any]]:
        """Stores documents (``{"id", "text"}`` plus optional ``title``, ``outlet``,
        ``date``, ``url``), ``batch`` to a request; returns, per document once its write is
        durable, ``{"id", "duplicates", "related"}``: what the index held before it (the
        documents of earlier requests and earlier in the same request included). A
        request that fails stores none of its documents; earlier requests stay stored."""
        if isinstance(documents, Mapping):
            documents = [documents]
        docs = [dict(d) for d in documents]
        if batch < 1:
            raise ValueError("batch must be at least 1")
        out: list[dict[str, Any]] = []
        for i in range(0, len(docs), batch):
            r = self._call("POST", "/documents", docs[i : i + batch], top=top, bucket_cap=bucket_cap)
            out.extend(r["documents"])
        return out

    def query(
        self,
        text: str,
        *,
        date: str | None = None,
        top: int | None = None,
        bucket_cap: int | None = None,
    ) -> dict[str, Any]:
        """``{"duplicates", "related"}`` of ``text`` (published on ``date`` when given),
        as ``neardup query``; nothing is stored."""
        body: dict[str, Any] = {"text": text}
        if date is not None:
            body["date"] = date
        if top is not None:
            body["top"] = top
        if bucket_cap is not None:
            body["bucket_cap"] = bucket_cap
        return self._call("POST", "/query", body)

    def get(self, id: str) -> dict[str, Any]:
        """The stored record of document ``id`` (the index keeps no text)."""
        return self._call("GET", f"/documents/{_quote(id)}")

    def similar(self, id: str, *, top: int | None = None, bucket_cap: int | None = None) -> dict[str, Any]:
        """``{"duplicates", "related"}`` of the stored document ``id`` (itself left
        out), as ``neardup query --id``."""
        return self._call("GET", f"/documents/{_quote(id)}/similar", top=top, bucket_cap=bucket_cap)

    def delete(self, id: str) -> dict[str, Any]:
        """Deletes document ``id``; ``{"deleted", "generation"}`` once durable."""
        return self._call("DELETE", f"/documents/{_quote(id)}")

    def __repr__(self) -> str:
        return f"Client({self.url!r})"


def _quote(id: str) -> str:
    return urllib.parse.quote(str(id), safe="")
