"""SQS worker for the render-final queue (print resolution)."""

from atelier.rendering.sqs import sqs_handler

handler = sqs_handler("render-final")
