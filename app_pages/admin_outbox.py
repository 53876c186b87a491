"""Admin → Outbox: the e-mails the app wrote to its local outbox because no SMTP server is configured."""

import streamlit as st

from core.accounts import admin
from core.integrations import mail
from core.ui.clock import when
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

actor, ctx = current_actor(), get_ctx()
st.title("Outbox")
settings = ctx.settings
if settings.smtp_host:
    st.info(f"Mail goes through {plain(settings.smtp_host)}:{settings.smtp_port}; nothing is kept here.",
            icon=":material/outgoing_mail:")  # fmt: skip
    st.stop()
st.caption(
    "No SMTP server is configured (SMTP_HOST), so password-reset and verification e-mails are written here "
    f"instead of being sent. Pass a link on to its owner yourself. Newest first, at most {mail.OUTBOX_LIMIT}."
)
messages: list[mail.OutboxMessage] = []
with user_errors():
    messages = admin.outbox(ctx, actor)
if not messages:
    st.info("Nothing has been sent yet.", icon=":material/inbox:")
for message in messages:
    with st.expander(plain(f"{when(message.sent_at)} · {message.to} · {message.subject}")):
        st.text(message.body)
