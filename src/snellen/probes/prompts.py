"""Prompt wording shared by task families: a JSON-answer variant and a free-text variant."""

from __future__ import annotations

import json


def listing(options) -> str:
    return ", ".join(options)


def json_prompt(question: str, schema: dict, constraints: str = "") -> str:
    """'<question> Answer in JSON format only: {schema}<constraints>' as in FineSightBench."""
    shown = json.dumps(schema).replace('"<N>"', "<N>")
    tail = f" {constraints.strip()}" if constraints else ""
    return f"{question} Answer in JSON format only: {shown}{tail}"


def free_prompt(question: str, instruction: str) -> str:
    return f"{question} {instruction}".strip()


def yes_no_json(question: str, key: str) -> str:
    """'<question> Answer in JSON format only: {"key": "yes"} or {"key": "no"}.'"""
    return f"{question} Answer in JSON format only: {json.dumps({key: 'yes'})} or {json.dumps({key: 'no'})}."
