"""The emulated card readers (docs/sandbox.md, «Emulated card readers»).

``test_cards`` — the scripted test cards; ``transaction`` — one transaction, sans-IO;
``reader_core`` — the rest of a reader's logic (info, battery, firmware), sans-IO; ``buyer`` — the
emulated buyer following a card's script; ``emv`` — the EMV data and the sealed card data;
``gatt_server`` — the GATT services on bumble; ``emulator`` — ``EmulatedReader`` and
``start_demo_readers`` for tests, the demo and the self-test. Importing the package itself loads
no radio code, so the sandbox gateway can read the test cards cheaply.
"""
