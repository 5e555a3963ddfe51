"""SQS worker for the export-manufacturing queue (production bundles)."""

from atelier.rendering.sqs import sqs_handler

handler = sqs_handler("export-manufacturing")
