"""Choosing a password through a link sent by e-mail: a forgotten password, or an invitation (a new
login whose owner has never had one: staff invited by the administrator, a member from the
register, a partner accepted by the coordinator). An invitation is followed in tenant_login: sent
(again), revoked, accepted when its link is used or its person signs in.

The link carries a random secret of which only the hash is stored; it works once, until it
expires, and only for an active person who holds a role in the tenant. Asking for a link answers
the same whether the address is known or not, so the form tells nobody who has a login.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from backend import mail
from backend.auth import hash_password, new_token, token_hash
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid
from backend.i18n import N_, gettext, negotiate, using
from tenants import rules, services
from tenants.services import TenantInfo, create_user, grant_role, record, roles_of, user_by_email
from tenants.tables import LoginSession, PasswordLink, TenantLogin, User

PURPOSE = "password_link"
MIN_LENGTH = 10
WELCOME_LINK_LIFETIME = rules.WELCOME_LINK_LIFETIME  # a new login's first link (an invitation)
LINKS_PER_HOUR = 3  # per person and organisation, asked by anyone
LINK_SENT = N_("If this address belongs to a login here, a link to choose a password is on its way. Check your inbox (and spam folder).")
LINK_SPENT = N_("This link is not valid any more: ask for a new one.")


def password_problem(password: str, email: str) -> str | None:
    """Why a new password is refused, or None. Length is what protects (NIST SP 800-63B); no
    composition rules, but not the e-mail address itself."""
    if len(password) < MIN_LENGTH:
        return N_("Choose a password of at least 10 characters.")
    if password.strip().lower() == (email or "").lower():
        return N_("The password cannot be your e-mail address.")
    return None


async def send_link(
    tenant: TenantInfo, email: str, base_url: str, lifetime: dt.timedelta, *, welcome: bool = False, invited_by: uuid.UUID | None = None,
) -> bool:
    """Queues a link to choose a password to the person with this address, if they may sign in to
    the tenant; returns whether one was queued (never shown to the asker). A welcome link is an
    invitation: sent once more, or made again after a revocation."""
    user = await user_by_email(email) if rules.normalise_email(email) else None
    if user is None or not user["is_active"] or not await roles_of(tenant, user["id"]):
        return False
    moment = now()
    if not welcome and await PasswordLink.count().where(
        (PasswordLink.tenant_id == tenant.id) & (PasswordLink.user_id == user["id"]) & (PasswordLink.created_at > moment - dt.timedelta(hours=1))
    ) >= LINKS_PER_HOUR:
        return False  # (anyone may ask for someone's link: their mailbox is not to be flooded)
    secret, hashed = new_token()
    await PasswordLink.insert(
        PasswordLink(id=uuid.uuid4(), tenant_id=tenant.id, user_id=user["id"], token_hash=hashed, created_at=moment, expires_at=moment + lifetime)
    )
    link = f"{base_url}/t/{tenant.slug}/password?token={secret}"
    hours = int(lifetime.total_seconds() // 3600)
    with using(negotiate(user["locale"], fallback=tenant.locale)):
        if welcome:
            subject = gettext(N_("Your login to %(organisation)s"), organisation=tenant.name)
            opening = gettext(N_("A login to %(organisation)s was opened for you with this address."), organisation=tenant.name)
        else:
            subject = gettext(N_("Choose a new password for %(organisation)s"), organisation=tenant.name)
            opening = gettext(N_("Someone asked to choose a new password for your login to %(organisation)s. If it was not you, ignore this message: your password stays as it is."), organisation=tenant.name)
        text = "\n\n".join([
            opening,
            gettext(N_("Choose your password here (the link works once, for %(hours)s hours):"), hours=hours),
            link,
        ])
    await mail.queue(tenant.id, to=user["email"], subject=subject, text=text, purpose=PURPOSE, object_id=user["id"])
    if welcome:
        await _invitation_sent(tenant, user["id"], invited_by, moment)
    return True


async def _invitation_sent(tenant: TenantInfo, user_id: uuid.UUID, invited_by: uuid.UUID | None, moment: dt.datetime) -> None:
    await services.login_row(tenant, user_id)
    mine = (TenantLogin.tenant_id == tenant.id) & (TenantLogin.user_id == user_id)
    await TenantLogin.update({TenantLogin.invited_at: moment, TenantLogin.invitation_revoked_at: None, TenantLogin.accepted_at: None}).where(
        mine & (TenantLogin.invited_at.is_null() | TenantLogin.invitation_revoked_at.is_not_null())
    )
    changes = {TenantLogin.invitation_sent_at: moment, TenantLogin.invitations_sent: TenantLogin.invitations_sent + 1}
    await TenantLogin.update({**changes, **({TenantLogin.invited_by: invited_by} if invited_by else {})}).where(mine)


async def invite(tenant: TenantInfo, actor_id, email: str, full_name: str, roles: frozenset[str], base_url: str) -> bool:
    """Someone of the staff (a secretary, a treasurer, a clinician, a coordinator…) invited by the
    administrator: their login (the one with this address, or a new one whose password nobody
    knows), these roles here, and a welcome link to choose a password. Whether it was e-mailed."""
    await services.lock_address(email)
    user = await user_by_email(email)
    user_id = user["id"] if user else await create_user(email, full_name, secrets.token_urlsafe(32), tenant.locale)
    for role in sorted(roles):
        await grant_role(tenant, user_id, role)
    sent = await send_link(tenant, email, base_url, WELCOME_LINK_LIFETIME, welcome=True, invited_by=actor_id)
    await record(tenant, actor_id, "person.invited", "user", user_id, {"roles": sorted(roles), "created": user is None, "sent": sent})
    return sent


async def resend_invitation(tenant: TenantInfo, actor_id, user_id: uuid.UUID, base_url: str) -> bool:
    """E-mails the invitation of someone who has not accepted it yet once more (a new link; the
    earlier ones still work until they expire). Whether it was queued."""
    found = await services.person(tenant, user_id)
    if not rules.is_pending_invitation(rules.LoginStatus(found["status"])):
        raise Conflict(N_("This person has already accepted the invitation: they sign in with their password, or ask for a new one."))
    sent = await send_link(tenant, found["email"], base_url, WELCOME_LINK_LIFETIME, welcome=True, invited_by=actor_id)
    await record(tenant, actor_id, "person.invitation_resent", "user", user_id, {"sent": sent})
    return sent


async def revoke_invitation(tenant: TenantInfo, actor_id, user_id: uuid.UUID) -> None:
    """Withdraws an invitation not yet accepted: its links stop working and the roles it gave are
    taken back (the person leaves the organisation; the organisation keeps an administrator)."""
    found = await services.person(tenant, user_id)
    if not rules.is_pending_invitation(rules.LoginStatus(found["status"])):
        raise Conflict(N_("This invitation was accepted: deactivate the login instead."))
    moment = now()
    await services.set_roles(tenant, actor_id, user_id, frozenset())
    await PasswordLink.update({PasswordLink.used_at: moment}).where(
        (PasswordLink.tenant_id == tenant.id) & (PasswordLink.user_id == user_id) & PasswordLink.used_at.is_null()
    )
    await TenantLogin.update({TenantLogin.invitation_revoked_at: moment}).where((TenantLogin.tenant_id == tenant.id) & (TenantLogin.user_id == user_id))
    await record(tenant, actor_id, "person.invitation_revoked", "user", user_id, {"roles": found["roles"]})


@dataclass(frozen=True)
class Chosen:
    user_id: uuid.UUID
    accepted_invitation: bool  # the link was an invitation's: the person starts here, signed in


async def choose_password(tenant: TenantInfo, secret: str, password: str) -> Chosen:
    """Sets the password of the link's owner and spends the link (one use, also when two requests
    race: the UPDATE … RETURNING takes it once) with their other links here; their sessions
    are closed and the bearer tokens issued before now stop working. A waiting invitation is
    accepted."""
    moment = now()
    owner = await PasswordLink.select(PasswordLink.user_id).where(
        (PasswordLink.token_hash == token_hash(secret)) & (PasswordLink.tenant_id == tenant.id)
        & PasswordLink.used_at.is_null() & (PasswordLink.expires_at > moment)
    ).first()
    user = await User.select(User.email, User.is_active).where(User.id == owner["user_id"]).first() if owner else None
    if user is None or not user["is_active"] or not await roles_of(tenant, owner["user_id"]):
        raise _link_spent()
    if problem := password_problem(password, user["email"]):
        raise Invalid(problem, errors=[FieldError("password", problem)])
    spent = await PasswordLink.update({PasswordLink.used_at: moment}).where(
        (PasswordLink.token_hash == token_hash(secret)) & PasswordLink.used_at.is_null()
    ).returning(PasswordLink.user_id)
    if not spent:
        raise _link_spent()
    user_id = spent[0]["user_id"]
    await PasswordLink.update({PasswordLink.used_at: moment}).where((PasswordLink.user_id == user_id) & PasswordLink.used_at.is_null())
    await User.update({User.password_hash: await hash_password(password), User.password_changed_at: moment}).where(User.id == user_id)
    await LoginSession.delete().where(LoginSession.user_id == user_id)
    accepted = await TenantLogin.update({TenantLogin.accepted_at: moment}).where(
        (TenantLogin.tenant_id == tenant.id) & (TenantLogin.user_id == user_id) & TenantLogin.invited_at.is_not_null()
        & TenantLogin.accepted_at.is_null() & TenantLogin.invitation_revoked_at.is_null()
    ).returning(TenantLogin.id)
    await record(tenant, user_id, "password.chosen", "user", user_id, {"invitation_accepted": bool(accepted)})
    return Chosen(user_id, bool(accepted))


def _link_spent() -> Invalid:
    return Invalid(LINK_SPENT, errors=[FieldError("token", LINK_SPENT)])
