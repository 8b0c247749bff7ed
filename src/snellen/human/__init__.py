"""The exam for people: the same probes shown in a local browser page, answers stored as model `human:NAME`.

answers.py (controls and answer-to-text), trials.py (what comes next: the fixed grid, practice),
session.py (tokens, breaks, the store), app.py (the Starlette routes and guard), server.py (uvicorn).
Needs the `human` extra (starlette, uvicorn)."""
