"""The Assist gateway: request building and reply parsing (``protocol``, ``mpos_operations``)
and the two clients (``client``). No Qt here."""
