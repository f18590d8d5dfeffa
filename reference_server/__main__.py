"""``python -m reference_server``: run the reference platform with uvicorn."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

import uvicorn

from reference_server.app import create_app
from reference_server.config import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reference_server",
        description="Run the mim-suite reference NGSI-LD platform.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=1026, help="port to bind (1026)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the SQLite store lives (default: $MIM_DATA_DIR, else ./data)",
    )
    parser.add_argument(
        "--in-memory", action="store_true", help="keep data in memory only (lost on exit)"
    )
    parser.add_argument("--log-level", default="info", help="uvicorn log level (info)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s %(message)s")
    settings = Settings.from_env(args.data_dir)
    if args.in_memory:
        settings = dataclasses.replace(settings, data_dir=None)
    app = create_app(settings)
    where = "memory" if settings.data_dir is None else str(settings.data_dir)
    print(
        f"mim-suite reference platform: http://{args.host}:{args.port}{settings.api_root}"
        f" (store: {where})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
