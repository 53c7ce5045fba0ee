"""The contract server: a real HTTP server that plays a provider exactly as its spec describes it.

    with MockServer.start(provider) as server:
        httpx.get(server.url + "/orders/...")
"""

from .faults import Fault
from .server import MockServer
from .state import RecordedRequest

__all__ = ["Fault", "MockServer", "RecordedRequest"]
