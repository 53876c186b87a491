"""Payments around sign-in: the return from Razorpay, and reconciliation, for app.py.

Razorpay's redirect after a payment opens a new tab, and a new tab is signed out unless the browser kept the
remember-me cookie. So, as an invite code is kept, the `razorpay_*` query parameters are kept in the session
before the sign-in gate and the payment is finished on the first signed-in run, whatever page that is: verified
with Razorpay, credited once, the student told, the parameters cleared from the URL. On that first signed-in
run the student's unfinished links are also asked about (no age cut-off), within a short deadline so a
Razorpay outage never holds up sign-in. What happened stays on the page it was first shown on until the student
leaves it: the sign-in run is followed by reruns (e.g. when the browser reports the remember-me cookie
written) that would wipe a message shown only once.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from core.access import Actor, Role
from core.billing import purchases
from core.errors import AppError
from core.ui.state import get_ctx
from core.ui.text import plain

log = logging.getLogger(__name__)

RETURN_PREFIX = "razorpay_"
RETURN_KEY = "pending_payment_return"  # the return's query parameters, kept through sign-in
RECONCILED_KEY = "payments_reconciled_for"  # the user id this session asked Razorpay about
NOTICES_KEY = "payment_notices"  # {"page": url path shown on (None: not yet), "items": [(kind, message)]}
SIGN_IN_RECONCILE_SECONDS = 3.0


def keep_return() -> None:
    """Before the sign-in gate: keep a payment return's query parameters in this session."""
    params = {name: value for name, value in st.query_params.items() if name.startswith(RETURN_PREFIX)}
    if params:
        st.session_state[RETURN_KEY] = params


def settle_after_sign_in(actor: Actor, page: StreamlitPage) -> None:
    """On signed-in runs, before the sidebar (so its balance counts the credits): finish a kept return, ask
    about unfinished links once per session, and show what happened at the top of `page`."""
    params = st.session_state.pop(RETURN_KEY, None)
    if params:
        _finish_return(actor, params)
    if actor.role == Role.STUDENT and st.session_state.get(RECONCILED_KEY) != actor.id:
        reconcile(actor)
    _show_notices(page)


def reconcile(actor: Actor) -> None:
    """Credit the student's links that were paid but never came back (lost webhook and return)."""
    st.session_state[RECONCILED_KEY] = actor.id
    try:
        credited = purchases.reconcile(get_ctx(), actor, within=SIGN_IN_RECONCILE_SECONDS)
    except Exception:  # a database hiccup must not stop the sign-in; the next session asks again
        log.exception("reconciling payments at sign-in failed")
        return
    for result in credited:
        _notice("success", f"Your payment for {result.credits} credits went through: credits added.")


def ask_again() -> None:
    """The Wallet's "I have paid: check now": reconcile again on the next run."""
    st.session_state.pop(RECONCILED_KEY, None)


def _finish_return(actor: Actor, params: dict[str, str]) -> None:
    for name in params:
        st.query_params.pop(name, None)
    try:
        result = purchases.complete_return(get_ctx(), actor, params)
    except AppError as error:
        _notice("error", error.message)
        return
    if result is None:
        return
    if result.credited_now:
        _notice("success", f"Payment received: {result.credits} credits added to your wallet.")
    elif result.paid:
        _notice("info", "This payment is already in your wallet.")
    else:
        _notice("info", "Razorpay has not confirmed this payment yet. Your credits appear here as soon as it does.")


def _notice(kind: str, message: str) -> None:
    notices = st.session_state.setdefault(NOTICES_KEY, {"page": None, "items": []})
    notices["page"] = None  # a new notice is shown on the page the student is on now
    notices["items"].append((kind, message))


def _show_notices(page: StreamlitPage) -> None:
    notices = st.session_state.get(NOTICES_KEY)
    if not notices:
        return
    if notices["page"] is None:
        notices["page"] = page.url_path
    elif notices["page"] != page.url_path:
        del st.session_state[NOTICES_KEY]
        return
    for kind, message in notices["items"]:
        getattr(st, kind)(plain(message))
