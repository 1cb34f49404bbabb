"""`python -m bench`: see bench/__init__.py and `python -m bench --help`."""

from bench.run import main

raise SystemExit(main())
