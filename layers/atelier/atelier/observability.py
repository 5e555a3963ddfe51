"""Logging, tracing and metrics: one neutral module every layer imports.

The service name, log level and sampling come from the POWERTOOLS_* environment variables
the stack sets (and the local runtime sets the same way). Nothing heavy happens here: the
objects are cheap until used.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="atelier")
