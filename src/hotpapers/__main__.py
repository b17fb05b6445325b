from hotpapers.cli import cli

cli()
