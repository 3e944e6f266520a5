"""Saturation runs driven by wrk (Debian package `wrk`, a load generator written in C) instead of the Python client.

On two shared cores the Python client cannot saturate a fast endpoint: with 100 closed-loop clients it left the
bare endpoint at about three quarters of the machine, so the throughput it measured was the client's, not the
server's. wrk costs a few percent of a core at the same rate. `saturate` runs wrk with a generated Lua script that
cycles through `targets` (one per simulated learner: a header and a path), numbers every request (`n`, also the
save's sequence number, so each save is newer than the last one of its attempt) and builds the JSON body with
`body_lua` (a Lua expression over `n`); the script's `done` prints the figures as one JSON line.
"""
from __future__ import annotations

import json
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

MARKER = "WRK_RESULT "

_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local targets = {%(targets)s}
local n = 0
request = function()
  n = n + 1
  local t = targets[(n %% #targets) + 1]
  wrk.headers[t[1]] = t[2]
  return wrk.format(nil, t[3], nil, %(body)s)
end
done = function(summary, latency, requests)
  local e = summary.errors
  local f = math.floor
  io.write(string.format('%(marker)s{"requests": %%d, "duration_us": %%d, "status_errors": %%d, ' ..
    '"socket_errors": %%d, "timeouts": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    f(latency:percentile(50)), f(latency:percentile(95)), f(latency:percentile(99)), f(latency.max)))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def script(targets: list[tuple[str, str, str]], body_lua: str) -> str:
    rows = ", ".join("{%s, %s, %s}" % tuple(_lua_string(v) for v in t) for t in targets)  # noqa: UP031 - Lua text
    return _SCRIPT % {"targets": rows, "body": body_lua, "marker": MARKER}


def _run(base: str, path: Path, clients: int, seconds: float, timeout: float) -> dict:
    cmd = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", f"--timeout={max(1, round(timeout))}s",
           "-s", str(path), base]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout  # noqa: S603 - our own command
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in out.splitlines() if x.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{out[-2000:]}")
    data = json.loads(line[len(MARKER):])
    data["client_cpu_percent"] = round(100 * ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
                                       / max(seconds, 1), 1)
    return data


def saturate(base: str, targets: list[tuple[str, str, str]], body_lua: str, clients: int, seconds: float,
             timeout: float = 30, warmup: float = 2.0) -> dict:
    """A warm-up run (discarded), then `seconds` of `clients` connections sending back to back. The same summary
    shape as the Python client's (count, errors, percentiles in ms, throughput_per_s) plus wrk's own CPU."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script(targets, body_lua))
    path = Path(handle.name)
    try:
        if warmup:
            _run(base, path, clients, warmup, timeout)
        data = _run(base, path, clients, seconds, timeout)
    finally:
        path.unlink(missing_ok=True)
    errors = data["status_errors"] + data["socket_errors"] + data["timeouts"]
    kinds = {k: data[k] for k in ("status_errors", "socket_errors", "timeouts") if data[k]}
    return {"driver": "wrk", "count": data["requests"] - data["status_errors"], "errors": errors, "error_kinds": kinds,
            "p50_ms": data["p50_us"] / 1000, "p95_ms": data["p95_us"] / 1000, "p99_ms": data["p99_us"] / 1000,
            "max_ms": data["max_us"] / 1000,
            "throughput_per_s": round((data["requests"] - data["status_errors"]) / (data["duration_us"] / 1e6), 1),
            "wrk_cpu_percent": data["client_cpu_percent"]}
