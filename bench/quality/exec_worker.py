"""Runs HumanEval test programs for the quality benchmark.

Reads JSON lines {"key": ..., "program": ...} on stdin and writes {"key": ..., "passed": bool} lines.
Each program runs in a forked child process (cheaper than starting python3 per program) with a CPU/wall
timeout and a memory limit; the child's output is discarded. The parent never executes task code.
"""
import json
import os
import resource
import signal
import time
import sys
import warnings

# Modules HumanEval solutions import, loaded once so forked children start warm.
import collections, functools, hashlib, heapq, itertools, math, re, string, typing, bisect, fractions  # noqa: F401,E401

# Broken candidates often compile with warnings; they are not worth printing.
warnings.filterwarnings("ignore")

TIMEOUT_S = float(os.environ.get("QUALITY_TIMEOUT_S", "2"))


def run_child(code) -> None:
    signal.alarm(max(1, int(TIMEOUT_S + 0.999)))
    try:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    except (ValueError, OSError):
        pass
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        exec(code, {"__name__": "__main__"})
    except BaseException:
        os._exit(1)
    os._exit(0)


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        # A program that does not even compile fails without a child process.
        try:
            code = compile(request["program"], "<task>", "exec")
        except (SyntaxError, ValueError):
            sys.stdout.write(json.dumps({"key": request["key"], "passed": False}) + "\n")
            sys.stdout.flush()
            continue
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            run_child(code)
        _, status = os.waitpid(pid, 0)
        passed = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        timed_out = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM
        seconds = round(time.monotonic() - started, 4)
        sys.stdout.write(json.dumps({"key": request["key"], "passed": passed, "timedOut": timed_out, "seconds": seconds}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
