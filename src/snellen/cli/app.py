"""The typer application object; commands register on it from their own modules in snellen.cli."""

import typer

app = typer.Typer(
    name="snellen",
    help="An eye exam for vision-language models: how small can your model see?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
