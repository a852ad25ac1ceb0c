"""The team: members and their roles, invitations by email (sent, sent again with a new link,
withdrawn), and accepting one (``/employer/team``; admins only, except the invitation page,
which is for the invited)."""

from urllib.parse import quote

import falcon

from itmj_domain.accounts import Role
from itmj_domain.errors import InvalidInput, InvalidState, NotFound
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.services.team import Team
from itmj_domain.sessions import FlashLevel
from itmj_http.portal.actions import act, sentence
from itmj_http.portal.context import PortalContext
from itmj_http.portal.email_links import EmailLinks
from itmj_http.portal.guards import employer_admin
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages

TEAM_PATH = "/employer/team"
INVITATION_PATH = "/account/invitations"


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput("choose EmployerAdmin or Recruiter", field="role") from None


@employer_admin
class TeamPage(PortalResource):
    def __init__(self, team: Team, pages: Pages) -> None:
        self._team = team
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, values={}, errors={})

    def _show(self, req: falcon.Request, resp: falcon.Response, values: dict[str, str],
              errors: dict[str, str], status: int = 200) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        employer_id = portal.user.employer_id
        self._pages.render(
            req, resp, "employer/team.html", status=status,
            members=self._team.members(employer_id),
            invitations=self._team.open_invitations(employer_id),
            roles=list(Role), values=values, errors=errors,
        )


@employer_admin
class Invite(TeamPage):
    def __init__(self, team: Team, pages: Pages, links: EmailLinks) -> None:
        super().__init__(team, pages)
        self._links = links

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        values = {"email": portal.form.get("email"), "role": portal.form.get("role")}
        base = self._links.base(req)
        try:
            invitation = self._team.invite(
                portal.user.employer_id, values["email"], _role(values["role"]),
                portal.user.id, lambda token: f"{base}{INVITATION_PATH}/{quote(token)}",
            )
        except (InvalidInput, InvalidState) as refused:
            field = getattr(refused, "field", None)
            self._show(req, resp, values, {"role" if field == "role" else "email":
                                           sentence(refused.message)}, status=400)
            return
        portal.flash(FlashLevel.SUCCESS, f"An invitation is on its way to {invitation.email}. "
                     "The link works once, for seven days.")
        raise falcon.HTTPSeeOther(TEAM_PATH)


@employer_admin
class InvitationAction(PortalResource):
    """An open invitation's buttons: ``resend`` (a new link; the old one stops working) and
    ``withdraw``."""

    def __init__(self, team: Team, links: EmailLinks) -> None:
        self._team = team
        self._links = links

    def on_post(self, req: falcon.Request, _resp: falcon.Response, invitation_id: int,
                action: str) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        me, team = portal.user, self._team
        if action == "resend":
            base = self._links.base(req)
            act(req, TEAM_PATH,
                lambda: team.resend(
                    me.employer_id, invitation_id, me.id,
                    lambda token: f"{base}{INVITATION_PATH}/{quote(token)}",
                ),
                lambda sent: f"A new invitation is on its way to {sent.email}; the link sent "
                "before no longer works.")
        if action == "withdraw":
            act(req, TEAM_PATH, lambda: team.withdraw(me.employer_id, invitation_id, me.id),
                lambda withdrawn: f"The invitation to {withdrawn.email} is withdrawn: its "
                "link no longer works.")
        raise falcon.HTTPNotFound()


@employer_admin
class ChangeRole(PortalResource):
    def __init__(self, team: Team) -> None:
        self._team = team

    def on_post(self, req: falcon.Request, _resp: falcon.Response, user_id: int) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        me = portal.user
        act(req, TEAM_PATH,
            lambda: self._team.change_role(
                me.employer_id, user_id, _role(portal.form.get("role")), me.id
            ),
            lambda member: f"{member.name or member.email} is now {member.role.value}.")


@employer_admin
class RemoveMember(PortalResource):
    """GET asks for confirmation (no script needed); POST removes."""

    def __init__(self, team: Team, pages: Pages) -> None:
        self._team = team
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        member = next(
            (m for m in self._team.members(portal.user.employer_id) if m.id == user_id), None
        )
        if member is None:
            raise falcon.HTTPNotFound()
        self._pages.render(req, resp, "employer/team_remove.html", member=member)

    def on_post(self, req: falcon.Request, _resp: falcon.Response, user_id: int) -> None:
        portal: PortalContext = req.context.portal
        assert portal.user is not None
        me = portal.user
        act(req, TEAM_PATH, lambda: self._team.remove(me.employer_id, user_id, me.id),
            lambda _: "The member is removed. Keys they created keep working.")


class AcceptInvitation(PortalResource):
    """The emailed link: whoever holds it chooses a name and a password and is signed in."""

    def __init__(self, team: Team, pages: Pages) -> None:
        self._team = team
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response, token: str) -> None:
        self._show(req, resp, token, values={}, errors={})

    def on_post(self, req: falcon.Request, resp: falcon.Response, token: str) -> None:
        portal: PortalContext = req.context.portal
        values = {"name": portal.form.get("name")}
        try:
            member = self._team.accept(token, values["name"], portal.form.get("password"))
        except InvalidInput as refused:
            field = refused.field if refused.field in ("name", "password") else "name"
            self._show(req, resp, token, values, {field: sentence(refused.message)}, 400)
            return
        except (InvalidState, NotFound) as refused:
            self._pages.render(req, resp, "account/invitation_gone.html", status=410,
                               reason=sentence(refused.message))
            return
        portal.sign_out()
        portal.sign_in(Principal(PrincipalKind.USER, member.id))
        portal.flash(FlashLevel.SUCCESS, f"Welcome, {member.name}. You are signed in.")
        raise falcon.HTTPSeeOther("/employer/")

    def _show(self, req: falcon.Request, resp: falcon.Response, token: str,
              values: dict[str, str], errors: dict[str, str], status: int = 200) -> None:
        try:
            opened = self._team.invitation(token)
        except (InvalidState, NotFound) as refused:
            self._pages.render(req, resp, "account/invitation_gone.html", status=410,
                               reason=sentence(refused.message))
            return
        self._pages.render(req, resp, "account/invitation.html", status=status,
                           invitation=opened.invitation, employer=opened.employer,
                           token=token, values=values, errors=errors)
