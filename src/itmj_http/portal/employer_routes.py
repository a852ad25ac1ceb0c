"""The routes of the employer pages beyond the account foundation: credits, team, webhooks,
jobs and applications, and accepting an invitation; and of the console's employers and
orders."""

import falcon

from itmj_adapters.composition import Services
from itmj_http.portal import console_pages as console
from itmj_http.portal import credit_pages as credit
from itmj_http.portal import job_pages as job
from itmj_http.portal import team_pages as team
from itmj_http.portal import webhook_pages as webhook
from itmj_http.portal.email_links import EmailLinks
from itmj_http.portal.pages import Pages


def mount(app: falcon.App, services: Services, pages: Pages) -> None:
    orders, webhooks = services.orders, services.webhooks
    app.add_route(credit.CREDITS_PATH, credit.CreditsPage(services.credits, orders, pages))
    app.add_route(f"{credit.CREDITS_PATH}/orders", credit.BuyBundle(orders))
    app.add_route(f"{credit.CREDITS_PATH}/orders/{{order_id:int}}/cancel",
                  credit.CancelOrder(orders))

    app.add_route(team.TEAM_PATH, team.TeamPage(services.team, pages))
    app.add_route(f"{team.TEAM_PATH}/invitations",
                  team.Invite(services.team, pages, EmailLinks.of(services.settings)))
    app.add_route(f"{team.TEAM_PATH}/invitations/{{invitation_id:int}}/{{action}}",
                  team.InvitationAction(services.team, EmailLinks.of(services.settings)))
    app.add_route(f"{team.TEAM_PATH}/{{user_id:int}}/role", team.ChangeRole(services.team))
    app.add_route(f"{team.TEAM_PATH}/{{user_id:int}}/remove",
                  team.RemoveMember(services.team, pages))
    app.add_route(f"{team.INVITATION_PATH}/{{token}}",
                  team.AcceptInvitation(services.team, pages))

    app.add_route(webhook.WEBHOOKS_PATH, webhook.WebhooksPage(webhooks, pages))
    app.add_route(f"{webhook.WEBHOOKS_PATH}/{{subscription_id:int}}",
                  webhook.SubscriptionPage(webhooks, pages))
    app.add_route(f"{webhook.WEBHOOKS_PATH}/{{subscription_id:int}}/secret",
                  webhook.SecretShown(webhooks, pages))
    app.add_route(f"{webhook.WEBHOOKS_PATH}/{{subscription_id:int}}/{{action}}",
                  webhook.SubscriptionAction(webhooks, pages))
    app.add_route(
        f"{webhook.WEBHOOKS_PATH}/{{subscription_id:int}}/deliveries/{{delivery_id}}/redeliver",
        webhook.Redeliver(webhooks),
    )

    app.add_route(job.JOBS_PATH, job.JobsPage(services.jobs, pages))
    app.add_route(f"{job.JOBS_PATH}/{{job_id:int}}",
                  job.JobPage(services.jobs, services.applications, pages))
    app.add_route(
        f"{job.JOBS_PATH}/{{job_id:int}}/applications/{{application_id:int}}/move",
        job.MoveApplication(services.applications),
    )

    app.add_route(console.EMPLOYERS_PATH, console.EmployersPage(services.console, pages))
    app.add_route(f"{console.EMPLOYERS_PATH}/{{employer_id:int}}",
                  console.EmployerPage(services.accounts, services.credits, orders, pages))
    app.add_route(f"{console.EMPLOYERS_PATH}/{{employer_id:int}}/trusted",
                  console.TrustEmployer(services.console))
    app.add_route(console.ORDERS_PATH, console.OrdersPage(orders, services.accounts, pages))
    app.add_route(f"{console.ORDERS_PATH}/{{order_id:int}}/{{decision}}",
                  console.DecideOrder(orders))
