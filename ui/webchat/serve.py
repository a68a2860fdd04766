"""Run the Chainlit app the way ``chainlit run --headless`` does, minus ``nest_asyncio``.

``python -m ui.webchat.serve TARGET --host H --port P`` (what ``jobfit ui`` execs).

Chainlit's CLI applies ``nest_asyncio`` when it is imported, so that ``run_until_complete`` may be
called inside the running loop. That patch swaps asyncio's C task and loop step for pure-Python
ones: every await of every turn, socket event and database write pays for it (about a fifth of
the web server's event-loop time under load, measured with py-spy). jobfit never re-enters the
loop, so this entry runs the same set-up (settings, the app module, the JWT secret, the
markdown file, the LangChain cache) on uvloop when it is installed, else asyncio's C loop.
Socket frames are not compressed unless ``UVICORN_WS_PER_MESSAGE_DEFLATE=true`` (Chainlit's
own switch; its default is on).

The one place Chainlit itself re-enters the loop is a chat profile's config overrides
(``WebsocketSession.get_config``): jobfit's profile has none, and without the patch that call
falls back to the global config (what it resolves to anyway); the coroutine it leaves unawaited
is closed here instead of warning.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ui.webchat.serve",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("target", help="the Chainlit app module (ui/app.py)")
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", default=None)
    parser.add_argument("--root-path", default=None)
    return parser.parse_args(argv)


def _quiet_profile_overrides() -> None:
    """Chainlit asks the running loop for a chat profile's overrides; without nest_asyncio that
    raises (Chainlit catches it and uses the global config). Close the coroutine instead of
    letting Python warn that it was never awaited."""
    from chainlit import session

    original = session.WebsocketSession.get_config

    def get_config(self: session.WebsocketSession):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="coroutine .* was never awaited",
                                    category=RuntimeWarning)
            return original(self)

    session.WebsocketSession.get_config = get_config  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    args = _options(argv)
    if args.host:
        os.environ["CHAINLIT_HOST"] = args.host
    if args.port:
        os.environ["CHAINLIT_PORT"] = str(args.port)
    if args.root_path:
        os.environ["CHAINLIT_ROOT_PATH"] = args.root_path

    import uvicorn
    from chainlit.auth import ensure_jwt_secret
    from chainlit.cache import init_lc_cache
    from chainlit.config import (
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_ROOT_PATH,
        config,
        load_module,
    )
    from chainlit.markdown import init_markdown
    from chainlit.utils import check_file

    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="%(asctime)s - %(levelname)s - %(name)s - %(message)s",
                        datefmt="%Y-%m-%d %H:%M:%S")
    host = os.environ.get("CHAINLIT_HOST", DEFAULT_HOST)
    port = int(os.environ.get("CHAINLIT_PORT", DEFAULT_PORT))
    root_path = os.environ.get("CHAINLIT_ROOT_PATH", DEFAULT_ROOT_PATH)
    config.run.headless = True
    config.run.host, config.run.port, config.run.root_path = host, port, root_path

    from chainlit.server import app

    _quiet_profile_overrides()
    check_file(args.target)
    config.run.module_name = args.target
    load_module(config.run.module_name)
    ensure_jwt_secret()
    if not (config.code.on_chat_start or config.code.on_message):
        raise SystemExit(f"{args.target} defines no Chainlit handlers")
    init_markdown(config.root)
    init_lc_cache()
    # off unless asked for: compressing every socket frame cost ~10 % of the server's CPU
    # per turn (py-spy); chat frames are small and usually on a LAN or behind a proxy
    deflate = os.environ.get("UVICORN_WS_PER_MESSAGE_DEFLATE", "false").lower() in (
        "true", "1", "yes")
    server = uvicorn.Server(uvicorn.Config(
        app, host=host, port=port, ws=os.environ.get("UVICORN_WS_PROTOCOL", "auto"),
        loop="auto", log_level="error", ws_per_message_deflate=deflate,
        ssl_keyfile=os.environ.get("CHAINLIT_SSL_KEY"),
        ssl_certfile=os.environ.get("CHAINLIT_SSL_CERT")))
    server.run()


if __name__ == "__main__":
    main()
