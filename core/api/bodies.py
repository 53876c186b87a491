"""Reading a request's body under a size limit: reading stops as soon as it passes, before it is all in memory."""

from __future__ import annotations

from starlette.requests import Request

MAX_EVENT_BYTES = 256 * 1024  # a webhook or callback event: real ones are a few kilobytes


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, kept on the request (so `form()` parses it without reading again), or None past `limit`."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    request._body = body = b"".join(chunks)  # Starlette replays a cached `_body`
    return body
