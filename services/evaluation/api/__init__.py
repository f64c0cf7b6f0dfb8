"""Evaluation's JSON routes, one module per part: works, rounds, sheets, results. Each route parses, calls one
use case with its connection (Transaction or Reading) and maps the result to a response model."""

from services.evaluation.api import results, rounds, sheets, works

ROUTERS = [works.router, rounds.router, sheets.router, results.router]
