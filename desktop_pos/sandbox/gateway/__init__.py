"""The sandbox gateway: the gateway endpoints on a loopback HTTP server with its own SQLite file
(docs/sandbox.md). Run it with ``python -m desktop_pos.sandbox.gateway --db PATH``."""
