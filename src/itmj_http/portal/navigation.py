"""The links of the portal's and the console's navigation bars, in order."""

import attrs


@attrs.frozen
class NavItem:
    label: str
    href: str
    admin_only: bool = False


EMPLOYER_NAV = (
    NavItem("Overview", "/employer/"),
    NavItem("API keys", "/employer/keys", admin_only=True),
    NavItem("Credits", "/employer/credits", admin_only=True),
    NavItem("Webhooks", "/employer/webhooks", admin_only=True),
    NavItem("Team", "/employer/team", admin_only=True),
    NavItem("Jobs", "/employer/jobs"),
)

PLATFORM_NAV = (
    NavItem("Console", "/platform/"),
    NavItem("Key reviews", "/platform/keys"),
    NavItem("Employers", "/platform/employers"),
    NavItem("Orders", "/platform/orders"),
)
