"""Qt widgets and dialogs of the counter application."""
