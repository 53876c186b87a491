"""Which pages each role sees, in which sections. Pages not listed for a role cannot be reached."""

from __future__ import annotations

from dataclasses import dataclass

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


def pages_for(role: Role) -> dict[str, list[PageSpec]]:
    """Sections in display order, each with the role's pages."""
    sections: dict[str, list[PageSpec]] = {}
    for spec in PAGES:
        if role in spec.roles:
            sections.setdefault(spec.section, []).append(spec)
    return sections
