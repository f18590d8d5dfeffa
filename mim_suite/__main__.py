"""``python -m mim_suite``: the ``mim`` command."""

from mim_suite.cli import main

main()
