"""Calls to the APIs as the signed-in user: their bearer token, their answers, their refusals.

A refusal (status >= 400) becomes :class:`ApiError` with the problem details (RFC 9457,
shared/problems.py) the API sent; pages show its ``detail`` and, for 422, its field errors
at their fields (services/web/forms.py). The APIs stay the one authority: a page asks,
the API decides.

With tracing on (shared/tracing.py), each call is a client span ``<METHOD> <service>`` and
sends its ``traceparent``, so the service's request joins the page's trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from shared import tracing
from shared.logs import current_request_id


class ApiError(Exception):
    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(problem.get("detail") or f"HTTP {status}")
        self.status = status
        self.problem = problem

    @property
    def detail(self) -> str:
        return str(self.problem.get("detail") or self.problem.get("title") or self.status)

    @property
    def errors(self) -> list[dict[str, Any]]:
        found = self.problem.get("errors")
        return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


@dataclass(frozen=True)
class Api:
    """The APIs as one user sees them (``token`` None: the public endpoints only)."""

    http: httpx.AsyncClient
    base_urls: dict[str, str]
    token: str | None

    def _headers(self) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        # the page's request id goes on to the APIs, so their log lines name the same one
        request_id = current_request_id()
        if request_id is not None:
            headers["X-Request-Id"] = request_id
        return headers

    async def _send(
        self,
        method: str,
        service: str,
        path: str,
        extra_headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        url = self.base_urls[service] + path
        with tracing.client_call(method, service) as call:
            headers = {**self._headers(), **(extra_headers or {}), **call.headers}
            response = await self.http.request(method, url, headers=headers, **kwargs)
            call.answered(response.status_code)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            raise ApiError(response.status_code, problem if isinstance(problem, dict) else {})
        return response

    async def get(self, service: str, path: str, params: dict[str, Any] | None = None) -> Any:
        clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        return (await self._send("GET", service, path, params=clean)).json()

    async def post(
        self,
        service: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Any:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = await self._send(
            "POST", service, path, json=body if body is not None else {}, extra_headers=headers
        )
        return response.json() if response.content else None

    async def put(self, service: str, path: str, body: dict[str, Any]) -> Any:
        response = await self._send("PUT", service, path, json=body)
        return response.json() if response.content else None

    async def patch(self, service: str, path: str, body: dict[str, Any]) -> Any:
        response = await self._send("PATCH", service, path, json=body)
        return response.json() if response.content else None

    async def delete(self, service: str, path: str) -> None:
        await self._send("DELETE", service, path)

    async def upload(
        self, service: str, path: str, file: Any, file_name: str, media_type: str,
        description: str,
    ) -> Any:  # fmt: skip
        """A ``multipart/form-data`` upload (fields ``file`` and ``description``), the file
        read from ``file`` in chunks as it is sent."""
        files = {"file": (file_name, file, media_type)}
        data = {"description": description} if description else {}
        response = await self._send("POST", service, path, files=files, data=data)
        return response.json() if response.content else None

    async def stream(self, service: str, path: str) -> httpx.Response:
        """An answer whose body is still to be read (``aiter_raw``; ``aclose`` after)."""
        with tracing.client_call("GET", service) as call:
            request = self.http.build_request(
                "GET", self.base_urls[service] + path, headers={**self._headers(), **call.headers}
            )
            response = await self.http.send(request, stream=True)
            call.answered(response.status_code)
        if response.status_code >= 400:
            await response.aread()
            await response.aclose()
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            raise ApiError(response.status_code, problem if isinstance(problem, dict) else {})
        return response

    async def raw(self, service: str, path: str) -> httpx.Response:
        """An answer passed on as it is (e.g. the Bescheid)."""
        return await self._send("GET", service, path)
