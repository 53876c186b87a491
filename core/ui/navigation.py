"""Which pages each role sees, in which sections, at which stable URL. Pages not listed for a role cannot be reached.

Every page has an explicit `url_path`, so a bookmark, a reload or a shared link (`/student?student=7`) names
the same page whatever its title or file becomes.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from core.access import Role

STUDENT, COUNSELOR, ADMIN = Role.STUDENT, Role.COUNSELOR, Role.ADMIN
EVERYONE = (STUDENT, COUNSELOR, ADMIN)


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    section: str
    roles: tuple[Role, ...]

    @property
    def url_path(self) -> str:
        """The file's name (`app_pages/job_match.py` -> `job_match`), fixed here rather than left to Streamlit."""
        return self.path.removeprefix("app_pages/").removesuffix(".py")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/dashboard.py", "Dashboard", ":material/home:", "Home", EVERYONE),
    PageSpec("app_pages/cvs.py", "My CVs", ":material/description:", "Prepare", (STUDENT,)),
    PageSpec("app_pages/resume_builder.py", "Résumé builder", ":material/edit_document:", "Prepare", (STUDENT,)),
    PageSpec("app_pages/jobs.py", "Jobs", ":material/work:", "Prepare", (STUDENT, COUNSELOR)),
    PageSpec("app_pages/job_match.py", "Job match", ":material/analytics:", "Prepare", (STUDENT,)),
    PageSpec("app_pages/flashcards.py", "Flashcards", ":material/style:", "Prepare", (STUDENT,)),
    PageSpec("app_pages/interviews.py", "Interviews", ":material/record_voice_over:", "Practise", (STUDENT,)),
    PageSpec("app_pages/progress.py", "Progress", ":material/trending_up:", "Practise", (STUDENT,)),
    PageSpec("app_pages/cohorts.py", "Cohorts", ":material/groups:", "Coach", (COUNSELOR, ADMIN)),
    PageSpec("app_pages/student.py", "Student view", ":material/person_search:", "Coach", (COUNSELOR, ADMIN)),
    PageSpec("app_pages/admin_users.py", "Users", ":material/manage_accounts:", "Admin", (ADMIN,)),
    PageSpec("app_pages/admin_credits.py", "Credits", ":material/toll:", "Admin", (ADMIN,)),
    PageSpec("app_pages/admin_providers.py", "Providers", ":material/lan:", "Admin", (ADMIN,)),
    PageSpec("app_pages/admin_audit.py", "Audit log", ":material/policy:", "Admin", (ADMIN,)),
    PageSpec("app_pages/admin_outbox.py", "Outbox", ":material/outbox:", "Admin", (ADMIN,)),
    PageSpec("app_pages/wallet.py", "Wallet", ":material/account_balance_wallet:", "Account", (STUDENT,)),
    PageSpec("app_pages/my_cohorts.py", "My cohorts", ":material/diversity_3:", "Account", (STUDENT,)),
    PageSpec("app_pages/account.py", "Account", ":material/person:", "Account", EVERYONE),
)

SIGN_IN_PAGE = "app_pages/sign_in.py"


def not_for(role: Role) -> list[PageSpec]:
    """Pages of other roles: their URLs answer "not found or not yours" instead of Streamlit's missing-page box."""
    return [spec for spec in PAGES if role not in spec.roles]


def pages_for(role: Role) -> dict[str, list[PageSpec]]:
    """Sections in display order, each with the role's pages."""
    sections: dict[str, list[PageSpec]] = {}
    for spec in PAGES:
        if role in spec.roles:
            sections.setdefault(spec.section, []).append(spec)
    return sections


NOT_YOURS = "This page was not found or is not yours."


def _not_yours() -> None:
    st.title("Not found")
    st.error(NOT_YOURS, icon=":material/block:")
    st.page_link(PAGES[0].path, label="Go to your dashboard", icon=PAGES[0].icon)


def signed_out_pages() -> list[StreamlitPage]:
    """The sign-in page at `/` and at every page's URL, so a reload or a shared link keeps its path and query
    through sign-in: the page after it is the one the address names (Streamlit keys a page by its URL path)."""
    return [st.Page(SIGN_IN_PAGE, title="Sign in", icon=":material/login:", default=True)] + [
        st.Page(SIGN_IN_PAGE, title="Sign in", url_path=spec.url_path, visibility="hidden") for spec in PAGES
    ]


def _page(spec: PageSpec, home: str) -> StreamlitPage:
    return st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=spec.path == home)


def signed_in_pages(role: Role, home: str) -> dict[str, list[StreamlitPage]]:
    """The role's menu; other roles' URLs lead to a hidden "not found or not yours" page, never their content."""
    menu = {section: [_page(spec, home) for spec in specs] for section, specs in pages_for(role).items()}
    hidden = [st.Page(_not_yours, title="Not found", url_path=spec.url_path, visibility="hidden")
              for spec in not_for(role)]  # fmt: skip
    if hidden:
        menu[next(reversed(menu))] += hidden
    return menu
