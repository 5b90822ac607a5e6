"""Counter devices behind small interfaces: the card reader link and the receipt printer.

Each device adapter lives in a module of its own; nothing here imports Qt.
"""
