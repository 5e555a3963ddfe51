"""SQS worker for the render-preview queue."""

from atelier.rendering.sqs import sqs_handler

handler = sqs_handler("render-preview")
