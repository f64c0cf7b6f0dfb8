"""Staff's draft templates rendered within a budget, off the event loop: each draft is checked against its rule's
sample event (templates/domain.py `check`) in a child process of its own, with a memory cap, killed when it runs
past its time. A thread alone would not do: Python cannot stop a thread, so a loop of ten billion steps would keep
a core (and the GIL) long after the request was refused, and nothing in a thread can cap its memory.

Children come from a fork server started once with this module loaded, so a preview costs milliseconds, and no
child is forked from the service's own threads. Like every multiprocessing child, each one imports the parent's
main module unless it runs as `python -m` (as the services do); a script that uses this needs the
`if __name__ == "__main__":` guard."""

import asyncio
import multiprocessing
import resource
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from services.notifications.templates.domain import (
    Rendered,
    TemplateRefused,
    TemplateTooCostly,
    check,
    refused,
    too_costly,
)

MEMORY_BYTES = 256 * 2**20  # what a child may take beyond what it starts with
_CONTEXT = multiprocessing.get_context("forkserver")


@dataclass
class DraftRenderer:
    """Checks drafts against the sample event within `seconds` and `memory_bytes`, `concurrency` at a time."""

    seconds: float = 1.0
    memory_bytes: int = MEMORY_BYTES
    concurrency: int = 2
    _threads: ThreadPoolExecutor = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Its own threads wait for the children, so a burst of previews never holds the loop's default executor
        # (which also resolves names).
        self._threads = ThreadPoolExecutor(self.concurrency, thread_name_prefix="template-budget")
        _CONTEXT.set_forkserver_preload([__name__])

    async def check(self, rule: str, channel: str, parts: dict[str, str]) -> Rendered:
        """The draft rendered against the sample event; refused as broken (template_refused) or as past its
        budget (template_too_costly)."""
        loop = asyncio.get_running_loop()
        outcome, value = await loop.run_in_executor(self._threads, self._run, rule, channel, dict(parts))
        if outcome == "ok":
            return value
        if outcome == "refused":
            reason, part = value
            raise refused(TemplateRefused(reason, part))
        raise too_costly(self.seconds)

    def _run(self, rule: str, channel: str, parts: dict[str, str]) -> tuple[str, object]:
        """In a waiting thread: start the child, wait at most `seconds` for its answer, make sure it is gone."""
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        child = _CONTEXT.Process(target=_render_in_child, args=(sender, rule, channel, parts, self.memory_bytes),
                                 daemon=True)
        child.start()
        sender.close()
        answered = False
        try:
            if not receiver.poll(self.seconds):
                return "costly", "out of time"
            answer, answered = receiver.recv(), True
            return answer
        except (EOFError, OSError):  # the child died without answering: its memory cap
            return "costly", "out of memory"
        finally:
            child.join(1.0 if answered else 0)
            if child.is_alive():
                child.kill()
                child.join()
            receiver.close()


def _render_in_child(answer: Connection, rule: str, channel: str, parts: dict[str, str], memory_bytes: int) -> None:
    """The child's whole life: cap its memory, check the draft, send what came of it."""
    _cap_memory(memory_bytes)
    try:
        outcome: tuple[str, object] = ("ok", check(rule, channel, parts))
    except TemplateTooCostly as error:
        outcome = ("costly", str(error))
    except TemplateRefused as error:
        outcome = ("refused", (str(error), error.part))
    except MemoryError:
        outcome = ("costly", "out of memory")
    except Exception as error:  # check() names a template's mistakes itself; this is a last word, not a crash
        outcome = ("refused", (f"{type(error).__name__}: {error}"[:300], None))
    answer.send(outcome)
    answer.close()


def _cap_memory(extra: int) -> None:
    """Limit the child's address space to what it has now plus `extra` (Linux; elsewhere the time limit holds)."""
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))
    except (OSError, ValueError, IndexError):
        return
