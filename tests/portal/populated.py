"""A portal with something in every table, and every page it has, for the tests that look at
every page (well-formed forms here, no overflow at phone and desktop widths in the browser).

Names, addresses and answers are long and unbroken where a partner's may be (a key named for
its integration, a webhook URL with a path, a connection error), since those are what push a
page wider than a phone.
"""

import attrs

from itmj_adapters.composition import Services
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.accounts import Role
from itmj_domain.api_keys import Scope
from itmj_domain.candidates import Candidate
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, RemoteType
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType
from tests.portal.support import HERE, PASSWORD, token_in

ADMIN_EMAIL = "ada.lovelace-administrator@acme-recruitment-services.example"
STAFF_EMAIL = "grace.staff@itmanagerjobs.example"
LONG_KEY_NAME = "Bullhorn-production-EMEA-servicedesk-integration-2026"
# Nothing listens on the discard port: its deliveries fail with a connection error, logged.
UNREACHABLE = "http://127.0.0.1:9/itmanagerjobs/webhooks/receiver/v1/events?tenant=acme-emea"


@attrs.frozen
class Populated:
    employer_id: int
    admin_email: str
    staff_email: str
    # The log of a subscription whose deliveries arrived.
    delivery_log: str
    # Pages of the employer portal an admin opens, then the console's, then public ones.
    admin_pages: tuple[str, ...]
    staff_pages: tuple[str, ...]
    public_pages: tuple[str, ...]


def populate(services: Services, receiver_url: str, reset_page: str) -> Populated:
    """An employer with keys (active, pending, revoked), orders and ledger entries, two
    subscriptions with delivered and failing deliveries, a recruiter and open invitations,
    jobs with applications; a staff member; the link of an open invitation and of a password
    reset. ``receiver_url`` answers webhooks; ``reset_page`` is where reset links lead."""
    assert isinstance(services.notifier, RecordingNotifier)
    signed_up = services.portal_accounts.sign_up(
        "Acme Recruitment International Services", "Ada Lovelace", ADMIN_EMAIL, PASSWORD, HERE
    )
    employer_id, admin_id = signed_up.employer.id, signed_up.admin.id
    for kind in CreditKind:
        services.credits.grant(employer_id, kind, 40)
    services.orders.buy(employer_id, "cv-search-100", admin_id)
    services.orders.buy(employer_id, "job-posting-50", admin_id)

    accounts = services.accounts
    kept = accounts.mint_key(employer_id, LONG_KEY_NAME, frozenset({Scope.JOB_POSTING}),
                             created_by=admin_id)
    accounts.mint_key(employer_id, "Vincere CV search", frozenset(Scope), created_by=admin_id)
    revoked = accounts.mint_key(employer_id, "Old ATS", frozenset({Scope.JOB_POSTING}),
                                created_by=admin_id)
    accounts.revoke_employer_key(employer_id, revoked.key.id, admin_id)

    webhooks = services.webhooks
    delivered = webhooks.subscribe(employer_id, receiver_url + "/itmanagerjobs/webhooks",
                                   frozenset(SUBSCRIBABLE)).subscription
    failing = webhooks.subscribe(employer_id, UNREACHABLE,
                                 frozenset({EventType.JOB_EXPIRED})).subscription
    for _ in range(2):
        webhooks.send_test(delivered.id, employer_id)
        webhooks.send_test(failing.id, employer_id)

    recruiter = accounts.add_user(employer_id, "rita.recruiter-emea@acme-recruitment.example",
                                  Role.RECRUITER, "Rita Recruiter")
    team = services.team
    team.invite(employer_id, "grace.hopper-engineering-lead@acme-recruitment.example",
                Role.RECRUITER, admin_id, lambda token: token)
    invited = team.invite(employer_id, "linus@example.com", Role.EMPLOYER_ADMIN, admin_id,
                          lambda token: token)
    invitation_link = _last_mail_token(services, invited.email, "inv_")

    job = _active_job(services, employer_id)
    for n in range(3):
        services.applications.submit(job.id, _candidate(services, n))

    _, staff_token = services.portal_accounts.add_staff(STAFF_EMAIL)
    services.portal_accounts.reset_password(staff_token, PASSWORD, HERE)
    services.portal_accounts.request_password_reset(ADMIN_EMAIL, HERE, reset_page)
    reset_token = token_in(services.notifier.sent[-1].body)

    return Populated(
        employer_id, ADMIN_EMAIL, STAFF_EMAIL, f"/employer/webhooks/{delivered.id}",
        admin_pages=(
            "/employer/", "/employer/keys", f"/employer/keys/{kept.key.id}/revoke",
            "/employer/credits", "/employer/webhooks", f"/employer/webhooks/{delivered.id}",
            f"/employer/webhooks/{failing.id}", f"/employer/webhooks/{failing.id}/delete",
            "/employer/team", f"/employer/team/{recruiter.id}/remove", "/employer/jobs",
            f"/employer/jobs/{job.id}", "/platform/", "/employer/nothing-here",
        ),
        staff_pages=(
            "/platform/", "/platform/keys", "/platform/employers",
            f"/platform/employers/{employer_id}", "/platform/orders",
        ),
        public_pages=(
            "/account/signup", "/account/signin", "/account/password/forgot",
            f"/account/password/reset?token={reset_token}",
            f"/account/invitations/{invitation_link}", "/account/invitations/inv_unknown",
            "/platform/signin", "/account/nothing-here",
        ),
    )


def _last_mail_token(services: Services, to: str, prefix: str) -> str:
    assert isinstance(services.notifier, RecordingNotifier)
    body = next(mail.body for mail in reversed(services.notifier.sent) if mail.to == to)
    return prefix + body.split(prefix, 1)[1].split()[0]


def _active_job(services: Services, employer_id: int):
    job = services.jobs.create(employer_id, JobContent(
        title="Head of IT Service Management and Infrastructure Operations (EMEA)",
        description="Lead it.", reference="ACME-ITSM-2026-EMEA-0001",
        employment_type=EmploymentType.FULL_TIME, remote_type=RemoteType.HYBRID_REMOTE,
        apply_method=ApplyMethod.PORTAL_APPLY,
    ))
    return services.jobs.publish(employer_id, job.id)


def _candidate(services: Services, n: int) -> int:
    with services.uow() as uow:
        cid = uow.candidates.next_id()
        uow.candidates.add(Candidate(
            cid, f"populated-{cid}", f"Maximiliana Featherstonehaugh-{n}",
            f"candidate{n}@example.com", None, "Engineer", "", (), "Leeds", 826, frozenset(),
            services.clock.now(), False,
        ))
        uow.commit()
    return cid
