from desktop_pos.sandbox.gateway.cli import main

raise SystemExit(main())
