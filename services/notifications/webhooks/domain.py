"""Pure webhook rules: endpoint states, topic patterns, when an endpoint counts as failing, signatures, and which
addresses an endpoint may have (public internet only: never this machine, the city's network or the cloud's)."""

import hashlib
import hmac
import ipaddress
import re

from shared.refusals import Kind, Refusal, not_found

# An endpoint is active, failing (not tried; its deliveries wait, dead, for a resume) or disabled by staff.
ACTIVE, FAILING, DISABLED = "active", "failing", "disabled"


def unknown_webhook() -> Refusal:
    """The endpoint does not exist."""
    return not_found("وب‌هوک", "Webhook")


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic semantics: '*' is one word, '#' zero or more; e.g. 'evaluation.results.#'."""
    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and (p[0] == "*" or p[0] == k[0]) and match(p[1:], k[1:])
    return match(pattern.split("."), routing_key.split("."))


def valid_pattern(pattern: str) -> bool:
    """A topic pattern of dot-separated words, '*' or '#'."""
    return re.fullmatch(r"(?:[a-z0-9_]+|\*|#)(?:\.(?:[a-z0-9_]+|\*|#))*", pattern, re.ASCII) is not None


def endpoint_failing(consecutive_failures: int, threshold: int) -> bool:
    """An endpoint that failed this many times in a row is marked failing and no longer tried."""
    return consecutive_failures >= threshold


def sign_webhook(secret: str, timestamp: int, body: bytes) -> str:
    """X-Hami-Signature: 'sha256=' + hex HMAC-SHA256 of '<timestamp>.' + body with the endpoint's secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_webhook(secret: str, timestamp: int, body: bytes, signature: str, *, now: float,
                   tolerance: float = 300.0) -> bool:
    """What a receiver checks: a fresh timestamp and a matching signature (constant-time compare)."""
    fresh = abs(now - timestamp) <= tolerance
    return fresh and hmac.compare_digest(sign_webhook(secret, timestamp, body), signature)


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# A host made of numbers only: resolvers read 2130706433, 0x7f.1 and 017700000001 as 127.0.0.1.
_NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+", re.IGNORECASE | re.ASCII)
# IPv6 ranges that carry an IPv4 address inside (mapped, compatible, NAT64, 6to4, Teredo): connecting there reaches
# the IPv4 address, or a gateway that translates to it; an endpoint needs none of them.
_CARRIES_IPV4 = tuple(ipaddress.ip_network(net) for net in (
    "::ffff:0:0/96", "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32"))


def target_not_allowed(reason: str) -> Refusal:
    """The endpoint's address is not a public internet address (or is written as a number)."""
    return Refusal(Kind.INVALID, "webhook_target_not_allowed",
                   "نشانی وب‌هوک پذیرفته نیست: فقط نشانی‌های عمومی اینترنت مجازند، نه نشانی‌های داخلی، محلی یا ویژه.",
                   "The webhook target is not allowed: only public internet addresses are, not internal, local or "
                   "special-purpose ones.", {"reason": reason})


def target_unresolved() -> Refusal:
    """The endpoint's host name has no address (or the lookup did not answer in time)."""
    return Refusal(Kind.INVALID, "webhook_target_unresolved", "نام میزبان نشانی وب‌هوک پیدا نشد.",
                   "The webhook's host name does not resolve.")


def https_required() -> Refusal:
    """In production an endpoint must use https."""
    return Refusal(Kind.INVALID, "webhook_https_required", "در محیط عملیاتی نشانی وب‌هوک باید با https باشد.",
                   "In production a webhook URL must use https.")


def check_scheme(scheme: str, *, require_https: bool) -> None:
    """Refuse a scheme other than http(s), and http where https is required."""
    if scheme not in ("http", "https"):
        raise target_not_allowed("only http and https URLs are")
    if require_https and scheme != "https":
        raise https_required()


def literal_address(host: str) -> IPAddress | None:
    """The IP address a URL's host is written as; None for a name. A host of numbers that is no dotted quad (or
    whose last label is a number, which no real name has) is refused: resolvers would read it as an address."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_LABEL.fullmatch(host.rstrip(".").rsplit(".", 1)[-1]):
        raise target_not_allowed("the host is written as a number, not as a name or a dotted-quad address")
    return None


def address_allowed(address: IPAddress) -> bool:
    """True for a public unicast address: not loopback, private, link-local (cloud metadata), shared (CGNAT),
    multicast, reserved or unspecified, nor an IPv6 form that carries an IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address) and (
            address.is_site_local or any(address in network for network in _CARRIES_IPV4)):
        return False
    special = (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
               or address.is_reserved or address.is_unspecified)
    return address.is_global and not special


def vetted(addresses: list[str]) -> list[str]:
    """The resolved addresses of a name, each once, when every one is public; refused when any is not (a name
    that also points inside could be made to connect there) or when there are none."""
    if not addresses:
        raise target_unresolved()
    parsed = list(dict.fromkeys(ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses))
    if not all(address_allowed(address) for address in parsed):
        raise target_not_allowed("the host name resolves to an address that is not public")
    return [str(address) for address in parsed]
