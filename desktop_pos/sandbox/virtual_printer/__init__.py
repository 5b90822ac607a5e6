"""The virtual printer: an ESC/POS printer on loopback TCP that answers status queries, decodes
what it receives (``decoder``) and saves every receipt as .bin, .txt and .png
(docs/virtual-printer.md). Run it with ``python -m desktop_pos.sandbox.virtual_printer``."""
