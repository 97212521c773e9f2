"""The address guard refuses non-public addresses BEFORE any socket is opened."""

import asyncio
import ipaddress

import pytest
from hostile_server import HostileServer, LoopbackOnlyBackend

from flows.fetch.client import Fetcher
from flows.fetch.errors import AddressRefused, PermanentFetchError
from flows.fetch.guard import GuardedBackend, check_address, parse_networks, resolve_checked
from flows.settings import FetchSettings

REFUSED = [
    "127.0.0.1", "127.1.2.3", "::1", "0.0.0.0", "::", "10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1",
    "169.254.169.254", "169.254.0.1", "fe80::1", "fc00::1", "fd12:3456::1", "224.0.0.1", "239.255.255.250",
    "ff02::1", "240.0.0.1", "255.255.255.255", "192.0.0.8", "198.18.0.1", "192.0.2.1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1",
    "64:ff9b::a9fe:a9fe",          # NAT64 form of the metadata address
    "2002:a9fe:a9fe::1",           # 6to4 form of the metadata address
    "2002:7f00:1::1",              # 6to4 form of loopback
    "fe80::1%eth0",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


class Tripwire(LoopbackOnlyBackend):
    """Fails the test on any connection attempt at all."""

    async def connect_tcp(self, host, port, *args, **kwargs):
        raise AssertionError(f"a connection to {host}:{port} was attempted")


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address):
    with pytest.raises(AddressRefused):
        check_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert check_address(address) == ipaddress.ip_address(address)


def test_allow_list_opens_exactly_what_it_names():
    allow = parse_networks(["127.0.0.1/32"])
    assert str(check_address("127.0.0.1", allow)) == "127.0.0.1"
    assert check_address("::ffff:127.0.0.1", allow) == ipaddress.ip_address("::ffff:127.0.0.1")
    for other in ("127.0.0.2", "::1", "0.0.0.0", "10.0.0.1", "169.254.169.254"):
        with pytest.raises(AddressRefused):
            check_address(other, allow)


def test_ip_literals_are_judged_without_dns():
    with pytest.raises(AddressRefused, match="169.254.169.254"):
        asyncio.run(resolve_checked("169.254.169.254", 80, (), timeout=1))
    assert asyncio.run(resolve_checked("[::1]", 80, parse_networks(["::1/128"]), timeout=1)) == ["::1"]


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[fd00::1]/",
                                 "http://0.0.0.0:80/", "http://127.0.0.1:9/", "http://[::ffff:a9fe:a9fe]/",
                                 "https://192.168.0.1/admin", "http://2130706433/"])
def test_fetcher_refuses_before_connecting(url):
    settings = FetchSettings(retries=0, obey_robots=False, per_host_delay_s=0)
    tripwire = Tripwire()

    async def go():
        async with Fetcher(settings, network_backend=tripwire) as fetcher:
            await fetcher.get(url)

    with pytest.raises(PermanentFetchError):
        asyncio.run(go())


def test_name_is_resolved_once_and_the_vetted_address_is_what_gets_connected():
    """`localhost` comes from /etc/hosts; the socket must go to the checked IP, not the name again."""
    recorder = LoopbackOnlyBackend()
    settings = FetchSettings(allow_networks=["127.0.0.1/32"], retries=0, per_host_delay_s=0)

    async def go(port):
        async with Fetcher(settings, network_backend=recorder) as fetcher:
            return await fetcher.get(f"http://localhost:{port}/ok.html")

    with HostileServer() as server:
        result = asyncio.run(go(server.server_address[1]))
    assert result.status == 200
    assert recorder.connects and {host for host, _ in recorder.connects} == {"127.0.0.1"}


def test_guard_sits_under_the_shared_client():
    """httpx gives no parameter for the backend; pin that every origin's pool really uses the guard."""
    fetcher = Fetcher(FetchSettings())

    async def go():
        async with fetcher:
            return fetcher._client._transport._pool._make()._network_backend  # noqa: SLF001 - a private seam

    assert isinstance(asyncio.run(go()), GuardedBackend)


@pytest.mark.parametrize("host,allowed", [
    ("0x7f000002", False), ("017700000002", False), ("2130706434", False), ("127.0.0.2", False),
    ("[::ffff:127.0.0.2]", False), ("[::1]", False), ("[0:0:0:0:0:0:0:1]", False), ("0", False), ("[::]", False),
    ("[::ffff:0.0.0.0]", False), ("127.1", True), ("0x7f000001", True), ("localhost", True),
])
def test_other_spellings_of_loopback_are_judged_by_the_address_they_reach(host, allowed):
    """Only 127.0.0.1 is allowed; every other spelling of a local address is refused before connecting."""
    settings = FetchSettings(allow_networks=["127.0.0.1/32"], retries=0, per_host_delay_s=0)

    async def go(port):
        async with Fetcher(settings, network_backend=LoopbackOnlyBackend()) as fetcher:
            return await fetcher.get(f"http://{host}:{port}/ok.html")

    with HostileServer() as server:
        if allowed:
            assert asyncio.run(go(server.server_address[1])).status == 200
        else:
            with pytest.raises(AddressRefused):
                asyncio.run(go(server.server_address[1]))
