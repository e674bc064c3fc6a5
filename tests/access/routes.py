"""Every HTTP route the project serves, read from the URL resolver (nested includes and DRF
router routes included)."""

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(resolver, prefix, namespace):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def all_routes():
    """[(key, pattern)]: the key is the route's name with its namespace, or its whole pattern
    where it has no name (admin's catch-all redirects)."""
    found = []
    for route, namespace, entry in _walk(get_resolver(), "", None):
        key = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or route
        found.append((key, entry))
    return found
