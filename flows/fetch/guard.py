"""Which addresses rasid may connect to, checked where the socket is opened.

The check sits in the network backend under httpx: the host of every request (and so of
every redirect hop) is resolved here, each address is vetted, and the socket is opened to a
vetted address itself, never to the name again. A DNS answer that changes between check and
connect (rebinding) therefore cannot slip a private address in. Only globally routable
unicast addresses pass, unless `fetch.allow_networks` names the network (the tests and the
offline demo allow 127.0.0.1/32). IPv6 forms that embed an IPv4 address (mapped, compatible,
6to4, NAT64, Teredo) are judged by the IPv4 address inside.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any, Iterable, Sequence

import httpcore

from flows.fetch.errors import AddressRefused, FetchTimeout, TransientFetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_COMPAT = ipaddress.ip_network("::/96")
# Special-purpose blocks that some Python versions still call global.
_ALSO_REFUSED = tuple(ipaddress.ip_network(net) for net in (
    "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15", "100.64.0.0/10", "2001::/23", "2001:db8::/32"))


def parse_networks(allow: Iterable[str]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(net, strict=False) for net in allow)


def embedded_ipv4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the embedding forms."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]
    if addr in _NAT64 or addr in _COMPAT and int(addr) > 1:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def is_public(addr: IPAddress) -> bool:
    """Globally routable unicast (and, for IPv6 embedding forms, its IPv4 address too)."""
    if isinstance(addr, ipaddress.IPv6Address):
        inner = embedded_ipv4(addr)
        if addr.ipv4_mapped is not None:
            return is_public(addr.ipv4_mapped)  # a mapped address is the IPv4 host itself
        if inner is not None and not is_public(inner):
            return False
        if addr in _NAT64_LOCAL:
            return False
    if any(addr in net for net in _ALSO_REFUSED if net.version == addr.version):
        return False
    return bool(addr.is_global and not (addr.is_multicast or addr.is_unspecified or addr.is_reserved
                                        or addr.is_loopback or addr.is_link_local or addr.is_private))


def check_address(address: str | IPAddress, allow: Sequence[IPNetwork] = ()) -> IPAddress:
    """`address` if rasid may connect to it; AddressRefused otherwise (no connection is made)."""
    addr = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    candidates = [addr]
    if isinstance(addr, ipaddress.IPv6Address) and (inner := embedded_ipv4(addr)) is not None:
        candidates.append(inner)
    if any(a.version == net.version and a in net for a in candidates for net in allow):
        return addr
    if not is_public(addr):
        raise AddressRefused(f"address {addr} is not public and not in fetch.allow_networks")
    return addr


async def resolve_checked(host: str, port: int, allow: Sequence[IPNetwork], timeout: float | None) -> list[str]:
    """Addresses of `host` rasid may connect to, in resolver order; AddressRefused if there are none."""
    try:
        literal = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        literal = None
    if literal is not None:
        return [str(check_address(literal, allow))]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise FetchTimeout(f"DNS lookup of {host} took longer than {timeout}s") from None
    except (socket.gaierror, UnicodeError) as exc:
        raise TransientFetchError(f"cannot resolve host {host} ({exc})") from None
    allowed: list[str] = []
    refusals: list[str] = []
    for *_, sockaddr in infos:
        try:
            allowed.append(str(check_address(sockaddr[0], allow)))
        except AddressRefused as exc:
            refusals.append(exc.reason)
    if not allowed:
        raise AddressRefused(f"host {host} resolves only to refused addresses: {'; '.join(dict.fromkeys(refusals))}")
    return list(dict.fromkeys(allowed))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that resolves, vets, then connects to the vetted address."""

    def __init__(self, allow: Sequence[IPNetwork], inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.allow = tuple(allow)
        self.inner = inner or httpcore.AnyIOBackend()
        self.connected: list[tuple[str, int]] = []  # (address, port) of every socket opened, for tests

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        last_error: Exception | None = None
        for address in await resolve_checked(host, port, self.allow, timeout):
            try:
                stream = await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                      socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            self.connected.append((address, port))
            return stream
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
