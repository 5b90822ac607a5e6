"""Use cases: the store (repository), checkout, events; later the gateway client and sync worker."""
