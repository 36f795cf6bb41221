"""Helpers of the Python module's tests: run a tool of the same build and read its CSV, its error line."""
import csv
import io
import os
import signal
import subprocess
import sys
import time

import pytest

BIN = os.environ.get("MLDERIV_BIN", os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin"))


def run_tool(tool, *args):
    """The CSV a tool writes for these arguments, as {column: [cell, ...]} (text cells)."""
    out = subprocess.run([os.path.join(BIN, tool), *map(str, args), "--quiet"], check=True, capture_output=True,
                         text=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    return {name: [r[i] for r in rows[1:]] for i, name in enumerate(rows[0])}


def tool_error(tool, *args):
    """The one-line message a tool prints for bad input (exit 2), without its 'TOOL: error: ' prefix."""
    p = subprocess.run([os.path.join(BIN, tool), *map(str, args), "--quiet"], capture_output=True, text=True)
    assert p.returncode == 2, p.stderr
    prefix = tool + ": error: "
    assert p.stderr.startswith(prefix), p.stderr
    return p.stderr[len(prefix):].rstrip("\n")


def floats(cells):
    return [float(c) for c in cells]


def raises_like_cli(exc, call, tool, *args):
    """call() raises exc with exactly the message the tool prints for args."""
    message = tool_error(tool, *args)
    with pytest.raises(exc) as info:
        call()
    assert str(info.value) == message
    return message


def interrupted_within_a_second(setup, call):
    """Runs `setup` then the long `call` in a fresh interpreter, sends SIGINT a second into the call and checks
    that it ends with KeyboardInterrupt within a second of the signal."""
    code = (f"import sys\nsys.path[:0] = {sys.path!r}\n{setup}\nprint('started', flush=True)\n"
            f"try:\n    {call}\nexcept KeyboardInterrupt:\n    print('interrupted', flush=True)\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    time.sleep(1.0)
    sent = time.monotonic()
    p.send_signal(signal.SIGINT)
    line = p.stdout.readline()
    took = time.monotonic() - sent
    p.communicate(timeout=60)
    assert line.strip() == "interrupted"
    assert took < 1.0
