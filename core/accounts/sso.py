"""Single sign-on: which OIDC providers are configured, and who a provider's identity is here.

Streamlit's `st.login` runs the OpenID Connect flow and hands over the ID token's claims (`st.user`); this module
decides what they mean for our accounts, without Streamlit:
- a known (issuer, subject) is the user it was linked to;
- otherwise the provider must vouch for the e-mail (`email_verified`), and it links to the user with that e-mail
  or creates a student with a wallet, as registration does. SSO never grants a staff role: an admin promotes;
- the provider's `allowed_domains` (in its `[auth.<name>]` secrets block) limit which e-mails may sign in;
- disabled users are refused. Every sign-in and refusal is audited, and a sign-in updates "last active".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import audit
from core.access import Actor, Role, actor_of, find_user, normalise_email
from core.accounts.users import EMAIL_RE, add_user
from core.context import AppContext
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.input_limits import NAME_MAX
from core.models import SsoIdentity, User

DISCOVERY_TIMEOUT_SECONDS = 3.0
# Keys Streamlit reads from a provider block; a block needs them all to be usable with st.login.
REQUIRED_KEYS = ("client_id", "client_secret", "server_metadata_url")
KNOWN_LABELS = {"google": "Google", "microsoft": "Microsoft", "linkedin": "LinkedIn", "default": "single sign-on"}


@dataclass(frozen=True)
class Provider:
    """One `[auth.<name>]` block: its name for st.login, a label for people, and our own settings."""

    name: str
    label: str
    server_metadata_url: str
    allowed_domains: tuple[str, ...] = ()
    verified_claim: str = "email_verified"  # Microsoft Entra ID says it in its optional claim "xms_edov"

    def allows(self, email: str) -> bool:
        return not self.allowed_domains or email.rpartition("@")[2] in self.allowed_domains


@dataclass(frozen=True)
class Identity:
    """What a provider said about the person (from the ID token's claims)."""

    provider: str
    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str


def providers(auth_section: Mapping[str, Any] | None) -> list[Provider]:
    """The usable providers of the `[auth]` secrets section, in file order (an empty list without one).

    `[auth]` itself with client_id etc. is the provider "default", as st.login() without a name uses it.
    """
    if not auth_section or not auth_section.get("redirect_uri") or not auth_section.get("cookie_secret"):
        return []
    blocks = [("default", auth_section)] + [(k, v) for k, v in auth_section.items() if isinstance(v, Mapping)]
    found = []
    for name, block in blocks:
        if "_" in name or not all(block.get(key) for key in REQUIRED_KEYS):  # st.login refuses such names
            continue
        domains = tuple(normalise_email(str(d)).lstrip("@") for d in block.get("allowed_domains", ()))
        label = str(block.get("label") or KNOWN_LABELS.get(name) or name.replace("-", " ").title())
        verified_claim = str(block.get("email_verified_claim") or "email_verified")
        found.append(Provider(name, label, str(block["server_metadata_url"]), domains, verified_claim))
    return found


def find_provider(configured: Sequence[Provider], name: object) -> Provider | None:
    return next((p for p in configured if p.name == name), None)


def discovery_problem(provider: Provider, timeout: float = DISCOVERY_TIMEOUT_SECONDS) -> str | None:
    """Why the provider's discovery document does not answer usably, or None when it does."""
    try:
        response = requests.get(provider.server_metadata_url, timeout=timeout)
        response.raise_for_status()
        document = response.json()
    except requests.Timeout:
        return f"No answer within {timeout:g} s."
    except requests.HTTPError:
        return f"The discovery document answered HTTP {response.status_code}."
    except (requests.RequestException, ValueError) as error:
        return f"The discovery document could not be read ({type(error).__name__})."
    if not isinstance(document, dict) or not document.get("issuer") or not document.get("authorization_endpoint"):
        return "The discovery document has no issuer or authorization endpoint."
    return None


def unavailable(provider: Provider) -> AppError:
    return AppError(ErrorCode.SSO_UNAVAILABLE, f"{provider.label} is not answering right now. Try again in a few "
                                               "minutes, or sign in with your password.")  # fmt: skip


def not_finished(provider: Provider) -> AppError:
    return AppError(ErrorCode.SSO_UNAVAILABLE, f"Signing in with {provider.label} was cancelled or did not finish. "
                                               "Try again, or sign in with your password.")  # fmt: skip


def identity_of(claims: Mapping[str, Any], verified_claim: str = "email_verified") -> Identity:
    """Read the claims Streamlit keeps in st.user (the ID token's, plus `provider`)."""
    email = normalise_email(str(claims.get("email") or ""))
    verified = claims.get(verified_claim)
    name = str(claims.get("name") or " ".join(str(claims.get(k) or "") for k in ("given_name", "family_name")))
    return Identity(
        provider=str(claims.get("provider") or "default"),
        issuer=str(claims.get("iss") or claims.get("provider") or ""),
        subject=str(claims.get("sub") or ""),
        email=email,
        email_verified=verified is True or str(verified).lower() == "true",  # some providers send a string
        name=(name.replace("\x00", "").strip() or email.partition("@")[0])[:NAME_MAX],  # the provider's, not typed
    )


def sign_in(ctx: AppContext, provider: Provider, identity: Identity) -> Actor:
    """The user this identity signs in as, linking or creating them on first use; raises SSO_REFUSED."""
    if not identity.subject:
        raise AppError(ErrorCode.SSO_REFUSED, f"{provider.label} did not say who you are. Try again.")
    if not EMAIL_RE.match(identity.email):
        raise AppError(ErrorCode.SSO_REFUSED, f"{provider.label} did not share your e-mail address, which we need "
                                              "to find your account.")  # fmt: skip
    try:
        with ctx.db.session() as session:
            try:
                how, user = _account(session, ctx, provider, identity)
            except _Refused as refused:  # raised before anything was added: the audit row is all that is written
                details = {"provider": provider.name, "email": identity.email, "reason": refused.reason}
                audit.record(session, actor_id=None, action="user.sso_refused", subject_user_id=refused.user_id,
                             details=details)  # fmt: skip
                error = refused.error
            else:
                user.last_active_at = utcnow()
                audit.record(session, actor_id=user.id, action="user.sso_sign_in", subject_user_id=user.id,
                             details={"provider": provider.name, "account": how})  # fmt: skip
                return actor_of(user)
    except IntegrityError as race:  # the same person's first sign-in in two tabs at once: the other one won
        raise AppError(ErrorCode.SSO_UNAVAILABLE, "Your account was being set up in another tab. Try again.") from race
    raise error


class _Refused(Exception):
    def __init__(self, reason: str, user: User | None, message: str) -> None:
        super().__init__(message)
        self.reason, self.user_id = reason, user.id if user else None
        self.error = AppError(ErrorCode.SSO_REFUSED, message)


def _account(session: Session, ctx: AppContext, provider: Provider, identity: Identity) -> tuple[str, User]:
    """(how the account was found: returning, linked or created; the user), or raise _Refused."""
    label, email = provider.label, identity.email
    if not provider.allows(email):
        domains = " or ".join(f"@{d}" for d in provider.allowed_domains)
        raise _Refused("domain", find_user(session, email), f"Sign-in with {label} is open to {domains} addresses "
                                                            f"only, and {email} is not one. Use your institution's "
                                                            "account.")  # fmt: skip
    link = session.scalar(
        select(SsoIdentity).where(SsoIdentity.issuer == identity.issuer, SsoIdentity.subject == identity.subject)
    )
    if link:
        how, user = "returning", session.get(User, link.user_id)
    elif not identity.email_verified:
        raise _Refused("unverified", find_user(session, email), f"{label} has not verified your e-mail address "
                                                               f"{email}. Verify it with {label}, or sign in with "
                                                               "your password.")  # fmt: skip
    else:
        how, user = "linked", find_user(session, email)
    if user is not None and user.disabled:
        raise _Refused("disabled", user, "This account is disabled. Ask your administrator to enable it.")
    if user is None:  # never a staff role: an admin promotes
        actor = add_user(session, email=email, name=identity.name[:200], role=Role.STUDENT, password_hash=None,
                         welcome_credits=ctx.settings.welcome_credits)
        how, user = "created", session.get_one(User, actor.id)
    if link:
        link.last_used_at = utcnow()
    else:
        session.add(SsoIdentity(user_id=user.id, issuer=identity.issuer, provider=provider.name,
                                subject=identity.subject, email=email, last_used_at=utcnow()))  # fmt: skip
    return how, user


def linked_providers(ctx: AppContext, actor: Actor) -> list[str]:
    """The provider names the actor has signed in with (for their Account page)."""
    with ctx.db.read() as session:
        return list(session.scalars(
            select(SsoIdentity.provider).where(SsoIdentity.user_id == actor.id).order_by(SsoIdentity.id)
        ))  # fmt: skip
