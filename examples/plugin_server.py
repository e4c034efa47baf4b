"""An asyncio server that runs a plugin per request, through the bindings'
async face: a fresh instance for every request (in a store of its own, so a
request that traps or runs too long harms no other), host functions that
await (the key-value store sleeps as a database call would), and an event
loop that keeps serving while plugins run.

    python examples/plugin_server.py [PLUGIN] [--port N]    # serve until Ctrl-C
    python examples/plugin_server.py [PLUGIN] --demo         # 20 requests at once, then exit

The protocol is one line per request, `TITLE|BODY`, answered with one line:
the plugin's verdict on the document. PLUGIN defaults to the WAT plugin of
examples/plugins/. See the "asyncio" section of docs/guide.md.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import wasmtime
from wbindgen_runtime import Trap, WbindgenError, aio

# The bindings are committed in generated_examples/; an application keeps
# them in its own package instead.
sys.path.append(str(Path(__file__).resolve().parent.parent / "generated_examples"))

from acme_plugins import PluginWorldAsync, PluginWorldAsyncPre, PluginWorldImportsAsync  # noqa: E402
from acme_plugins.exports.plugin import (  # noqa: E402
    Document,
    Outcome_Accepted,
    Outcome_Rejected,
    Outcome_Skipped,
)
from acme_plugins.imports import host  # noqa: E402

HERE = Path(__file__).resolve().parent
SECONDS_PER_CALL = 2.0
TICK = 0.01


class Database:
    """The server's storage: every call awaits, as a real database's would."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], str] = {}

    async def io(self) -> None:
        await asyncio.sleep(0.005)


class KvStore:
    """One `kv-store` a plugin opened (satisfies `host.KvStoreAsync`)."""

    def __init__(self, db: Database, name: str) -> None:
        self.db, self.name = db, name

    async def get(self, key: str) -> str | None:
        await self.db.io()
        return self.db.rows.get((self.name, key))

    async def set(self, key: str, value: str) -> None:
        await self.db.io()
        self.db.rows[(self.name, key)] = value


class Host:
    """The acme `host` interface for one request (satisfies `host.HostAsync`)."""

    def __init__(self, db: Database, request: int) -> None:
        self.db, self.request = db, request

    async def kv_store(self, name: str) -> KvStore:
        return KvStore(self.db, name)

    def log(self, level: host.Severity, message: str) -> None:  # a plain function works too
        print(f"  [request {self.request}] {level.name.lower()}: {message}")


class Server:
    def __init__(self, plugin: Path) -> None:
        config = wasmtime.Config()
        config.epoch_interruption = True  # the time limit of every call
        self.engine = wasmtime.Engine(config)
        # Checked, compiled and planned once; every request instantiates it.
        self.pre: PluginWorldAsyncPre = PluginWorldAsync.prepare(self.engine, plugin)
        self.db = Database()
        self.requests = 0

    async def ticker(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            self.engine.increment_epoch()

    async def answer(self, line: str) -> str:
        self.requests += 1
        title, _, body = line.partition("|")
        store = wasmtime.Store(self.engine)
        store.set_epoch_deadline(int(SECONDS_PER_CALL / TICK))
        aio.yield_every(store, epoch_ticks=1)  # a long call yields to the loop each tick
        try:
            inst = await self.pre.instantiate(
                store, PluginWorldImportsAsync(host=Host(self.db, self.requests))
            )
            doc = Document(title, body, ["web"])
            async with await inst.plugin.session(f"request-{self.requests}") as session:
                kept = await session.add(doc)
            match await inst.plugin.review(await inst.plugin.transform(doc)):
                case Outcome_Accepted(value=d):
                    return f"accepted {d.title!r} ({kept} kept)"
                case Outcome_Rejected(value=why):
                    return f"rejected: {why}"
                case Outcome_Skipped():
                    return "skipped"
                case other:
                    return f"unexpected outcome {other!r}"
        except Trap as e:
            return f"the plugin trapped: {e.message}"
        except WbindgenError as e:
            return f"the plugin failed: {e}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := (await reader.readline()).decode().rstrip("\n"):
            writer.write((await self.answer(line) + "\n").encode())
            await writer.drain()
        writer.close()


async def demo(server: Server, port: int) -> None:
    """Twenty clients at once, each sending one request."""

    async def client(k: int) -> str:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"doc {k}|body of {k}\n\n".encode())
        await writer.drain()
        answer = (await reader.readline()).decode().strip()
        writer.close()
        return answer

    started = time.perf_counter()
    answers = await asyncio.gather(*(client(k) for k in range(20)))
    took = time.perf_counter() - started
    for k, a in enumerate(answers):
        print(f"request {k}: {a}")
    print(f"{len(answers)} requests, each with a fresh instance and 3 awaited host calls: "
          f"{took * 1000:.0f} ms in all")  # fmt: skip


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="plugin_server.py")
    parser.add_argument("plugin", nargs="?", type=Path, default=HERE / "plugins" / "wat_upper.wat")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--demo", action="store_true", help="20 requests at once, then exit")
    args = parser.parse_args(argv)
    server = Server(args.plugin)
    tick = asyncio.ensure_future(server.ticker())
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0 if args.demo else args.port)
    async with listener:
        if args.demo:
            await demo(server, listener.sockets[0].getsockname()[1])
        else:
            print(f"serving {args.plugin.name} on 127.0.0.1:{args.port} (lines: TITLE|BODY)")
            await listener.serve_forever()
    tick.cancel()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
