"""python -m mlip_conformance ...: the same as the mlip-conformance command."""

from mlip_conformance.cli import main

raise SystemExit(main())
