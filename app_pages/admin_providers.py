"""Admin → Providers: which backends the configuration selects and whether each answers a cheap health call."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from core import providers_health
from core.ui import sso
from core.ui.clock import relative, when
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx

KINDS = {"ai": "Language model", "ocr": "OCR", "storage": "File storage", "video": "Video interviews",
         "payments": "Payments", "sign-in": "Single sign-on (OIDC)"}  # fmt: skip

actor = current_actor()
ctx = get_ctx()
state = st.session_state

st.title("Providers")
st.caption("Which backends are active and reachable. Keys are never shown; change them in the environment or "
           "in .streamlit/secrets.toml and restart the app. Single sign-on providers are the [auth.*] blocks of "
           "the secrets.")  # fmt: skip
if address_warning := providers_health.public_address_warning(ctx.settings, st.context.url):
    st.warning(address_warning, icon=":material/link_off:")


def refresh() -> None:
    state.pop("providers_checked", None)


if "providers_checked" not in state:  # checked once per visit; "Check again" repeats it
    with st.spinner("Asking each backend…"), user_errors():
        rows = providers_health.check_all(ctx, actor, sign_in=sso.configured_providers())
        state["providers_checked"] = (datetime.now(UTC), rows)

if (checked := state.get("providers_checked")) is not None:
    at, rows = checked
    table = pd.DataFrame(
        {
            "Backend": [row.name for row in rows],
            "Used for": [KINDS.get(row.kind, row.kind) for row in rows],
            "Active": ["yes" if row.active else "no" for row in rows],
            "Reachable": ["yes" if row.reachable else "not checked" if row.reachable is None else "NO" for row in rows],
            "Detail": [row.detail for row in rows],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    summary = providers_health.summarise(rows)
    if summary.failing:
        st.warning(summary.sentence, icon=":material/warning:")
    elif summary.checked:
        st.success(summary.sentence, icon=":material/check_circle:")
    else:
        st.info(summary.sentence, icon=":material/info:")
    st.caption(f"Checked {relative(at)} ({when(at)}).")
st.button("Check again", on_click=refresh, icon=":material/refresh:", key="providers_refresh")
