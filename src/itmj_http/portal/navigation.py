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
)

PLATFORM_NAV = (
    NavItem("Console", "/platform/"),
)
