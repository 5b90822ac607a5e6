"""The receipt printer: settings, connections, status, ESC/POS rendering and the cash drawer."""
