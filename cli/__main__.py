"""`python -m cli` runs the command line, like the `sensory-audit` script."""

from cli import main

main()
