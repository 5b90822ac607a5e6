"""``python -m desktop_pos`` starts the counter application."""

from desktop_pos.app import main

raise SystemExit(main())
