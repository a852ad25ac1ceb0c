"""Host names looked up by the machine's resolver (glibc's ``getaddrinfo``), the one that
every connection this process opens would use too."""

import socket
from collections.abc import Sequence


class SystemResolver:
    def addresses(self, host: str, port: int) -> Sequence[str]:
        try:
            found = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            return ()
        # An IPv6 answer may carry a zone (fe80::1%eth0); the address is what is judged.
        return tuple(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in found))
