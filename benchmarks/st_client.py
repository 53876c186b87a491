"""A headless Streamlit client: one browser session spoken as Streamlit's own frontend speaks it.

It opens the app's websocket (`/_stcore/stream`) with the XSRF token from the page's cookie, sends BackMsg
protobufs (rerun with widget states, file-upload URL requests) and reads ForwardMsg protobufs until the script
run finishes. The element tree and widget states come from Streamlit's own AppTest parser, so widgets are
found and set exactly as AppTest does. File uploads go through the real upload endpoint.

Why not a browser: a Chromium tab costs the client more CPU than the server spends on it, so on 2 cores a
crowd of browsers measures the browsers. This client costs little, so the server's figures are the server's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.testing.v1.element_tree import ElementTree, InitialValue, Widget, parse_tree_from_messages

XSRF_COOKIE = "_streamlit_xsrf"
RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


class StreamlitClient:
    """One signed-out browser session; `await run(...)` performs an interaction and returns its seconds."""

    def __init__(self, base_url: str, timeout: float = 60) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)
        self.ws: Any = None
        self.session_id = ""
        self.pages: dict[str, str] = {}  # url path → page script hash
        self.page_hash = ""
        self.tree: ElementTree | None = None
        self.uploads: dict[str, WidgetState] = {}
        self.values: dict[str, WidgetState] = {}  # what the user typed or chose, kept as a browser keeps it
        self._messages: list[ForwardMsg] = []
        self._finished: asyncio.Event = asyncio.Event()
        self._file_urls: dict[str, Any] = {}
        self._reader: asyncio.Task[None] | None = None
        self.exceptions: list[str] = []

    async def connect(self) -> float:
        started = time.perf_counter()
        for path in ("/", "/_stcore/health"):  # the page, as a browser loads it; health sets the XSRF cookie
            response = await self.http.get(path)
            response.raise_for_status()
        xsrf = self.http.cookies.get(XSRF_COOKIE, "")
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        cookie = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        self.ws = await websockets.connect(
            ws_url,
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],  # type: ignore[list-item]
            additional_headers={"Cookie": cookie, "Origin": self.base_url},
            max_size=None,
        )
        self._reader = asyncio.create_task(self._read())
        await self.run()
        return time.perf_counter() - started

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()
        await self.http.aclose()

    async def _read(self) -> None:
        async for frame in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
                self.page_hash = msg.new_session.page_script_hash
                self._messages = []
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
            elif kind == "delta":
                self._messages.append(msg)
            elif kind == "file_urls_response":
                self._file_urls[msg.file_urls_response.response_id] = msg.file_urls_response
            elif kind == "script_finished" and msg.script_finished != RERUN:
                self._finished.set()

    async def run(self, change: Callable[[ElementTree], None] | None = None, page: str | None = None) -> float:
        """Apply `change` to the current widgets (or open `page` by its URL path), rerun, wait until it settles."""
        if self.tree is not None and change is not None:
            change(self.tree)
        states = WidgetStates()
        states.widgets.extend({**self.values, **self._changed(), **self.uploads}.values())
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.widget_states.CopyFrom(states)
        back.rerun_script.page_script_hash = self.pages[page] if page is not None else self.page_hash
        started = time.perf_counter()
        self._finished.clear()
        await self.ws.send(back.SerializeToString())
        await asyncio.wait_for(self._finished.wait(), self.timeout)
        took = time.perf_counter() - started
        self.tree = parse_tree_from_messages(self._messages)  # a fresh tree: button triggers fire only once
        self.exceptions = [e.value for e in self.tree.exception]
        return took

    def _changed(self) -> dict[str, WidgetState]:
        """States of the widgets set by this interaction; values are remembered, button presses fire once."""
        changed: dict[str, WidgetState] = {}
        for node in self.tree or ():
            if isinstance(node, Widget) and getattr(node, "_value", None) not in (None, False) \
                    and not isinstance(node._value, InitialValue):
                state = node._widget_state
                changed[state.id] = state
                if state.WhichOneof("value") not in ("trigger_value", "string_trigger_value"):
                    self.values[state.id] = state
        return changed

    async def upload(self, label: str, name: str, data: bytes) -> None:
        """Put a file into the file uploader labelled `label` (the rerun that follows sends it)."""
        assert self.tree is not None
        proto = self._uploader(label)
        request_id = f"up-{time.monotonic_ns()}"
        back = BackMsg()
        back.file_urls_request.request_id = request_id
        back.file_urls_request.file_names.append(name)
        back.file_urls_request.session_id = self.session_id
        await self.ws.send(back.SerializeToString())
        deadline = time.monotonic() + self.timeout
        while request_id not in self._file_urls:
            if time.monotonic() > deadline:
                raise TimeoutError("no upload URL from the server")
            await asyncio.sleep(0.01)
        urls = self._file_urls.pop(request_id).file_urls[0]
        path = urlsplit(urls.upload_url).path
        response = await self.http.put(path, files={"file": (name, data)},
                                       headers={"X-Xsrftoken": self.http.cookies.get(XSRF_COOKIE, "")})
        response.raise_for_status()
        info = UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        state = WidgetState(id=proto.id)
        state.file_uploader_state_value.CopyFrom(FileUploaderState(uploaded_file_info=[info]))
        self.uploads[proto.id] = state

    def _uploader(self, label: str) -> Any:
        for msg in self._messages:
            element = msg.delta.new_element
            if element.WhichOneof("type") == "file_uploader" and label in element.file_uploader.label:
                return element.file_uploader
        raise LookupError(f"no file uploader labelled {label!r}")

    def widget(self, kind: str, label: str) -> Any:
        """The first widget of `kind` (text_input, button, selectbox, …) whose label contains `label`."""
        assert self.tree is not None
        for node in getattr(self.tree, kind):
            if label in node.label:
                return node
        raise LookupError(f"no {kind} labelled {label!r}; have {[n.label for n in getattr(self.tree, kind)]}")

    def choose(self, kind: str, label: str, *options: str) -> None:
        """Pick options of a pills/segmented control by their shown text (its format function lives server-side)."""
        state = WidgetState(id=self.widget(kind, label).id)
        state.string_array_value.data[:] = options
        self.values[state.id] = state

    def text(self) -> str:
        """Everything the page shows as text (markdown, captions, alerts), for checks."""
        assert self.tree is not None
        parts = [m.value for m in self.tree.markdown] + [c.value for c in self.tree.caption]
        parts += [e.value for kind in ("success", "info", "warning", "error") for e in getattr(self.tree, kind)]
        return "\n".join(str(p) for p in parts)
