"""``python -m asyncfirst`` runs the command line."""

from asyncfirst.entrypoints.cli import main

main()
