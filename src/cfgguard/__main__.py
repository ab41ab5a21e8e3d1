from cfgguard.cli import main

raise SystemExit(main())
