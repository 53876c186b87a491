"""Demo data for pilots and screenshots: an admin, two counselors, two cohorts of 15 students each.

Idempotent: users are found by email and cohorts by invite code, so running it twice creates nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core import access
from core.access import Role
from core.accounts import users
from core.context import AppContext
from core.demo_history import seed_history
from core.models import Cohort, CohortMember

DEMO_PASSWORD = "Demo-pass-2026"  # noqa: S105 - published demo log-in, printed by seed-demo
DOMAIN = "example.edu"
FIRST = ["Aarav", "Maya", "Noah", "Zara", "Ethan", "Lina", "Omar", "Chloe", "Ravi", "Sofia", "Kenji", "Amara",
         "Lucas", "Ines", "Tariq", "Hana", "Mateo", "Leila", "Jonas", "Priya", "Diego", "Yara", "Felix", "Nia",
         "Arjun", "Elena", "Samir", "Grace", "Tomas", "Ayesha"]
LAST = ["Shah", "Chen", "Okoro", "Haddad", "Brooks", "Novak", "Farouk", "Dubois", "Iyer", "Rossi", "Sato", "Mensah",
        "Silva", "Moreau", "Aziz", "Kim", "Garcia", "Nasser", "Berg", "Menon", "Ortiz", "Khan", "Weber", "Adeyemi",
        "Kapoor", "Petrova", "Qureshi", "Lee", "Horvat", "Malik"]
COHORTS = [
    ("Computer Science — Class of 2027", "Spring 2027", "CS2027", "counselor1"),
    ("Business Analytics — Class of 2027", "Spring 2027", "BA2027", "counselor2"),
]
STUDENTS_PER_COHORT = 15


@dataclass
class DemoLogins:
    password: str
    admin: str
    counselors: list[str]
    students: list[str]
    created_users: int


def seed(ctx: AppContext, *, history: bool = True) -> DemoLogins:
    """Create the demo accounts and cohorts; with `history`, weeks of analyses, reviews and interviews too."""
    password_hash = users.hash_password(DEMO_PASSWORD, ctx.settings.bcrypt_rounds)
    created = 0
    with ctx.db.session() as session:

        def user(local: str, name: str, role: Role) -> int:
            nonlocal created
            existing = access.find_user(session, f"{local}@{DOMAIN}")
            if existing:
                return existing.id
            created += 1
            return users.add_user(session, email=f"{local}@{DOMAIN}", name=name, role=role,
                                     password_hash=password_hash, welcome_credits=ctx.settings.welcome_credits).id

        user("admin", "Alex Admin", Role.ADMIN)
        counselors = {"counselor1": user("counselor1", "Priya Nair", Role.COUNSELOR),
                      "counselor2": user("counselor2", "James Carter", Role.COUNSELOR)}
        students = []
        for index, (name, term, code, counselor) in enumerate(COHORTS):
            cohort = session.scalar(select(Cohort).where(Cohort.invite_code == code))
            if cohort is None:
                cohort = Cohort(name=name, term=term, invite_code=code, created_by=counselors[counselor])
                session.add(cohort)
                session.flush()
            members = [(counselors[counselor], "counselor")]
            for n in range(STUDENTS_PER_COHORT):
                number = index * STUDENTS_PER_COHORT + n + 1
                local = f"student{number:02d}"
                students.append((f"{local}@{DOMAIN}", code))
                members.append((user(local, f"{FIRST[number - 1]} {LAST[number - 1]}", Role.STUDENT), "student"))
            joined = set(session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)))
            session.add_all(
                CohortMember(cohort_id=cohort.id, user_id=user_id, member_role=role, consent_at=cohort.created_at)
                for user_id, role in members
                if user_id not in joined
            )
    if history:
        actors = [(users.load_actor_by_email(ctx, email), code) for email, code in students]
        seed_history(ctx, [(actor, code) for actor, code in actors if actor is not None])
    return DemoLogins(DEMO_PASSWORD, f"admin@{DOMAIN}", [f"{c}@{DOMAIN}" for c in counselors],
                      [email for email, _ in students], created)
