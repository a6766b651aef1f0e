"""Where a webhook may be sent: never to private, loopback or other internal addresses, so an
endpoint cannot be used to reach the portal's own network (SSRF). Tests (and a developer's
machine) allow them with `WEBHOOK_ALLOW_PRIVATE_TARGETS`.

The check runs when an endpoint is saved and again before every attempt, since what a name
resolves to can change.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class TargetRefused(Exception):
    """The URL may not receive webhooks; the message says why."""


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def target_check(url: str) -> None:
    """Raises TargetRefused unless the URL is an http(s) address on the public internet."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(_("Use an http:// or https:// address."))
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False):
        return
    if parts.scheme != "https":
        raise TargetRefused(_("Use an https:// address."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise TargetRefused(_("The host name could not be found.")) from None
    if not infos or any(_internal(info[4][0]) for info in infos):
        raise TargetRefused(
            _("The address points into a private or local network; use a public address."))
