from desktop_pos.sandbox.virtual_printer.cli import main

raise SystemExit(main())
