"""Users (admin): search, change role, lock/unlock, set a temporary password, delete an account with its data."""

import pandas as pd
import streamlit as st

from core.access import Role
from core.accounts import admin
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

actor, ctx = current_actor(), get_ctx()
st.title("Users")

left, right = st.columns([3, 1])
query = left.text_input("Search by name or email", key="user_search")
role_filter = right.selectbox("Role", ["any", *[str(r) for r in Role]], key="user_role_filter")

users: list[admin.UserRow] = []
with user_errors():
    users = admin.search_users(ctx, actor, query, role=None if role_filter == "any" else Role(role_filter))
st.caption(f"Showing {len(users)} user(s), newest first (at most {admin.SEARCH_LIMIT}; refine the search).")
st.dataframe(
    pd.DataFrame(
        [{"Name": u.name, "Email": u.email, "Role": str(u.role), "Status": u.status, "Created": u.created_at,
          "Last active": u.last_active_at} for u in users],
        columns=["Name", "Email", "Role", "Status", "Created", "Last active"],
    ),
    hide_index=True, width="stretch",
)  # fmt: skip
if not users:
    st.stop()

by_id = {u.id: u for u in users}
chosen = st.selectbox("Manage", list(by_id), key="user_manage",
                      format_func=lambda i: f"{by_id[i].name} ({by_id[i].email})")  # fmt: skip
user = by_id[chosen]
if user.id == actor.id:
    st.info("This is your own account: change your password on the Account page; another admin manages the rest.")
    st.stop()

role_col, lock_col = st.columns(2)
with role_col:
    roles = [str(r) for r in Role]
    new_role = st.selectbox("Role", roles, index=roles.index(str(user.role)), key=f"role_{user.id}")
    if st.button("Change role", key="change_role", disabled=new_role == str(user.role)):
        with user_errors():
            admin.set_role(ctx, actor, user.id, Role(new_role))
            st.success(f"{plain(user.name)} is now a {new_role}.")
with lock_col:
    st.markdown(f"Status: **{user.status}**")
    if user.status == "active":
        if st.button("Lock account", key="lock", help="Signs the user out and blocks sign-in until unlocked."):
            with user_errors():
                admin.set_locked(ctx, actor, user.id, True)
                st.rerun()
    elif st.button("Unlock account", key="unlock"):
        with user_errors():
            admin.set_locked(ctx, actor, user.id, False)
            st.rerun()

with st.form("reset_password", clear_on_submit=True):
    st.markdown("**Reset password**: set a temporary password and pass it on; they change it on Account.")
    temporary = st.text_input("Temporary password", type="password", key="temporary_password")
    if st.form_submit_button("Set temporary password"):
        with user_errors():
            admin.reset_password(ctx, actor, user.id, temporary)
            st.success("Temporary password set. Any sign-in lockout was cleared.")

with st.expander("Delete account", icon=":material/delete_forever:"):
    st.warning("Deletes the account with all its data (CVs and stored files, reports, interviews, credits). "
               "This cannot be undone.")  # fmt: skip
    confirm = st.text_input(f"Type {user.email} to confirm", key=f"delete_confirm_{user.id}")
    if st.button("Delete account permanently", key="delete_user", type="primary"):
        with user_errors():
            admin.delete_user(ctx, actor, user.id, confirm_email=confirm)
            st.session_state.pop("user_manage", None)
            st.success(f"Deleted {plain(user.email)}.")
