"""The card reader: our GATT profile and link protocol (docs/reader-protocol.md) over bleak.

``messages`` is the vocabulary, ``codec`` its bytes, ``framing`` the chunking for any ATT MTU,
``ble_link`` the bleak transport; nothing here imports Qt.
"""
