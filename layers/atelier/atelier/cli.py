"""`atelier`: run the local runtime and administer a database.

Commands work against `DATABASE_URL` / `ATELIER_ADMIN_DATABASE_URL` when set, else against
the embedded PostgreSQL kept under `var/` (started on demand, data kept between runs).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from atelier import __version__

if TYPE_CHECKING:
    from atelier.local.runtime import LocalDatabase


def _open() -> LocalDatabase:
    from atelier.local.runtime import open_database, use_local_data_key

    use_local_data_key()
    return open_database()


def cmd_serve(args: argparse.Namespace) -> int:
    from atelier.local.serve import serve

    return serve(host=args.host, port=args.port, site_root=Path(args.site_root))


def cmd_migrate(args: argparse.Namespace) -> int:
    from atelier.db import migrate

    db = _open()
    try:
        if args.action == "upgrade":
            from atelier.local.runtime import seal_legacy_secrets

            migrate.upgrade(db.admin_url, args.revision or "head")
            if sealed := seal_legacy_secrets(db.admin_url):
                print(f"sealed {sealed} stored secret(s) kept in clear until now")
        elif args.action == "downgrade":
            if not args.revision:
                print("downgrade needs a target revision (e.g. -1 or base)", file=sys.stderr)
                return 2
            migrate.downgrade(db.admin_url, args.revision)
        current = migrate.current_revision(db.admin_url)
        print(f"current revision: {current or '(none)'}; head: {migrate.head_revision()}")
        return 0
    finally:
        db.stop()


def cmd_seed(args: argparse.Namespace) -> int:
    from atelier.local.seed import seed_demo

    db = _open()
    try:
        result = seed_demo(db.admin_url)
        print(result.describe())
        return 0
    finally:
        db.stop()


def cmd_create_brand(args: argparse.Namespace) -> int:
    from atelier.tenancy.admin import create_brand

    db = _open()
    try:
        brand = create_brand(db.admin_url, name=args.name, origins=args.origin or [])
        print(f"brand {brand.id} ({brand.slug}) created")
        return 0
    finally:
        db.stop()


def cmd_create_key(args: argparse.Namespace) -> int:
    from atelier.tenancy.admin import create_api_key

    db = _open()
    try:
        key = create_api_key(db.admin_url, brand=args.brand, kind=args.kind, name=args.name)
        print(key.secret)
        print(
            f"({args.kind} key {key.id} for brand {key.brand_id}; shown once, stored hashed)",
            file=sys.stderr,
        )
        return 0
    finally:
        db.stop()


def cmd_create_token(args: argparse.Namespace) -> int:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from atelier.auth.principal import Role
    from atelier.auth.tokens import issue_local_token
    from atelier.local.runtime import local_secrets
    from atelier.tenancy.admin import find_brand

    db = _open()
    try:
        engine = create_engine(db.admin_url)
        with Session(engine) as session:
            brand_id = find_brand(session, args.brand).id
        engine.dispose()
    finally:
        db.stop()
    token = issue_local_token(
        brand_id=brand_id,
        subject=args.subject,
        roles=[Role(args.role)],
        ttl_s=args.ttl,
        key=local_secrets()["jwt_signing_key"],
    )
    print(token)
    return 0


def cmd_demo_order(args: argparse.Namespace) -> int:
    from atelier.local.demo_order import ensure_integration, latest_snapshot, send_order

    db = _open()
    try:
        brand_id, secret = ensure_integration(db.admin_url)
        snapshot = args.snapshot or latest_snapshot(db.admin_url, brand_id)
    finally:
        db.stop()
    result = send_order(args.url, secret, snapshot, quantity=args.quantity)
    print(f"order {result.get('orderId')} paid for snapshot {snapshot}")
    print(
        f"bundles: GET {args.url.rstrip('/')}/api/v1/manufacturing/bundles/{result.get('orderId')}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atelier", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"atelier {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")

    serve = sub.add_parser(
        "serve",
        help="run the whole thing locally",
        description=(
            "Start PostgreSQL (embedded unless DATABASE_URL is set), migrate, seed the demo brand, "
            "and serve the local API gateway, the docs and the demo storefront."
        ),
    )
    serve.add_argument("--host", default=os.environ.get("ATELIER_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("ATELIER_PORT", "8000")))
    serve.add_argument("--site-root", default="widget/dist", help="static site folder")
    serve.set_defaults(func=cmd_serve)

    mig = sub.add_parser(
        "migrate",
        help="apply or revert database migrations",
        description="Alembic migrations: upgrade, downgrade or show current.",
    )
    mig.add_argument("action", choices=["upgrade", "downgrade", "current"])
    mig.add_argument("revision", nargs="?", help="target revision (upgrade: head by default)")
    mig.set_defaults(func=cmd_migrate)

    seed = sub.add_parser(
        "seed",
        help="create the demo brand, product, zones, fonts and key",
        description="Idempotent: running it again changes nothing.",
    )
    seed.set_defaults(func=cmd_seed)

    brand = sub.add_parser(
        "create-brand",
        help="create a brand (tenant)",
        description="Create a brand with the origins its widget may run on.",
    )
    brand.add_argument("name")
    brand.add_argument(
        "--origin",
        action="append",
        help="allowed widget origin, e.g. https://shop.example (repeatable)",
    )
    brand.set_defaults(func=cmd_create_brand)

    key = sub.add_parser(
        "create-key",
        help="create an API key for a brand",
        description="Print a new publishable (pk_) or secret (sk_) key once.",
    )
    key.add_argument("brand", help="brand id or slug")
    key.add_argument("--kind", choices=["publishable", "secret"], default="publishable")
    key.add_argument("--name", default="cli")
    key.set_defaults(func=cmd_create_key)

    token = sub.add_parser(
        "create-token",
        help="mint a brand-user JWT from the local issuer",
        description="Local runtime only: a token with the claims Cognito would issue.",
    )
    token.add_argument("brand", help="brand id or slug")
    token.add_argument(
        "--role", choices=["artisan", "viewer", "editor", "admin", "owner"], default="admin"
    )
    token.add_argument("--subject", default="local-user")
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    token.set_defaults(func=cmd_create_token)

    demo = sub.add_parser(
        "demo-order",
        help="send a signed Shopify orders/paid for a snapshot to the local runtime",
        description="The end of the demo journey: the order is paid, the snapshot locked, "
        "the production bundle built by the export worker.",
    )
    demo.add_argument("--snapshot", help="snapshot id (default: the demo brand's latest)")
    demo.add_argument("--quantity", type=int, default=1)
    demo.add_argument("--url", default="http://127.0.0.1:8000", help="the running local runtime")
    demo.set_defaults(func=cmd_demo_order)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from atelier.errors import AtelierError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AtelierError as exc:
        print(f"atelier {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
