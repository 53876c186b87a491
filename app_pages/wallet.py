"""Wallet: balance, credit packs, links waiting for payment, and the transaction history.

A return from the payment page and reconciliation are handled for every page by core.ui.payment_return.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.billing import ledger, purchases
from core.ui import payment_return
from core.ui.actions import clicked, done, flash, once_button, show_flashes
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx

KIND_LABELS = {"purchase": "Purchase", "grant": "Grant", "welcome": "Welcome", "charge": "Charge", "refund": "Refund"}

actor = current_actor()
ctx = get_ctx()


def money(amount: float, currency: str) -> str:
    text = f"{amount:,.2f}".removesuffix(".00")
    return f"₹{text}" if currency == "INR" else f"{text} {currency}"


def process_buy() -> None:
    request = clicked("buy")
    if request is None:
        return
    request_key, credits = request
    with user_errors():
        result = purchases.buy(ctx, actor, credits, request_key)
        done("buy")
        if result.paid:
            demo = " (demo payment, no money taken)" if result.is_demo else ""
            flash(
                f"{result.credits} credits added{demo}."
                if result.credited_now
                else "That purchase is already in your wallet."
            )
            st.rerun()
        st.info("Your payment link is ready below. You come back here after paying.", icon=":material/link:")


def render_packs() -> None:
    st.subheader("Buy credits")
    offers = purchases.packs(ctx.settings)
    for column, offer in zip(st.columns(len(offers)), offers, strict=True):
        with column.container(border=True):
            st.markdown(f"#### {offer.credits} credits")
            st.markdown(f"**{money(offer.price, offer.currency)}**")
            st.caption(f"{money(offer.price_per_credit, offer.currency)} per credit")
            once_button(
                "Buy", name="buy", payload=offer.credits, key=f"buy_{offer.credits}", type="primary", width="stretch"
            )
    st.caption(
        f"A CV analysis costs {ctx.settings.price_cv_analysis} credit, a practice interview "
        f"{ctx.settings.price_practice_interview}, a video interview {ctx.settings.price_video_interview}. "
        "If a paid action fails, its credits come back automatically."
    )


def render_pending() -> None:
    pending = purchases.pending_checkouts(ctx, actor)
    for checkout in pending:
        with st.container(border=True):
            st.markdown(f"Waiting for payment: **{checkout.credits} credits**")
            if checkout.checkout_url:
                st.link_button("Pay on Razorpay", checkout.checkout_url, type="primary", icon=":material/open_in_new:")
    if pending and st.button("I have paid: check now", key="check_payments"):
        payment_return.ask_again()
        st.rerun()


def date_range(value: object) -> tuple[date | None, date | None]:
    picked = tuple(value) if isinstance(value, list | tuple) else (value,) if value else ()
    return (picked[0] if picked else None), (picked[-1] if picked else None)


def render_history() -> None:
    st.subheader("Transaction history")
    left, right = st.columns(2)
    kinds = left.multiselect(
        "Type", ledger.KINDS, format_func=lambda kind: KIND_LABELS.get(kind, kind), key="ledger_kinds",
        placeholder="All types",
    )
    start, end = date_range(right.date_input("Dates (UTC)", value=[], key="ledger_dates"))
    with user_errors():
        entries = ledger.ledger(ctx, actor, kinds=kinds or None, start=start, end=end)
        if not entries:
            st.info("No transactions match these filters.")
            return
        table = pd.DataFrame(
            [
                {
                    "When (UTC)": entry.created_at.strftime("%Y-%m-%d %H:%M"),
                    "Type": KIND_LABELS[entry.kind] + (" (demo)" if entry.is_demo else ""),
                    "Credits": entry.amount,
                    "Balance after": entry.balance_after,
                    "Details": entry.reason,
                }
                for entry in entries
            ]
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={"Credits": st.column_config.NumberColumn(format="%+d")},
        )
        st.download_button(
            "Download CSV",
            ledger.ledger_csv(entries),
            file_name="transactions.csv",
            mime="text/csv",
            key="ledger_csv",
            on_click="ignore",
            icon=":material/download:",
        )


st.title("Wallet")
show_flashes()
process_buy()
st.metric("Your credits", ledger.balance(ctx, actor))
if ctx.settings.payment_provider == "demo":
    st.caption("Demo mode: purchases are free and marked as demo in your history.")
render_pending()
render_packs()
render_history()
