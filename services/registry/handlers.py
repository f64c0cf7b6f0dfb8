"""Registry consumers: the festival ledger records every event, internal and public."""

from services.registry.ledger.usecases import record as record_in_ledger
from shared.messaging.handlers import HandlerTable

__all__ = ["TABLE", "record_in_ledger"]

# The ledger keeps every event of both exchanges (the catch-all, record_in_ledger); no typed handler.
TABLE = HandlerTable("registry", handlers={}, every_internal=True, every_public=True)
