"""python3 -m unibench: the benchmark harness's entry point."""
import sys

from .cli import main

sys.exit(main())
