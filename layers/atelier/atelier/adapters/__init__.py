"""Concrete ports: AWS services in the cloud, files and PostgreSQL on one machine.
`atelier.bootstrap` is the one place that picks between them."""
