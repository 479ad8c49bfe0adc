"""A school's round under load: tablets filling checklists through nginx on two app instances.

    python -m bench.load                       # 20 tablets (2 of them Chromium), five minutes, 2 managers
    python -m bench.load --tablets 4 --minutes 1
    python -m bench.load --tablets 8 --browser-tablets 8   # every tablet a Chromium page

The reference deployment (deploy/stack.py: PostgreSQL, the release step, two `streamlit run`
instances, nginx) starts on 127.0.0.1. Every tablet is an assessor with their own account and
classroom who signs in on the sign-in screen, opens their draft and answers every item of the
classroom checklist, paced to spread the checklist over the run. Most tablets are protocol
tablets (bench/load_protocol.py): each is a real Streamlit session through nginx, a WebSocket
speaking Streamlit's BackMsg/ForwardMsg protobufs, sending what the page sends after a tap or an
Enter (the widget's state, in its fragment) and reading the deltas until the item's "Saved" line
arrives, without drawing anything. `--browser-tablets` of them (2 by default) are Chromium pages
tapping and typing (bench/load_browser.py), as the check that the browser path agrees. Two
managers reload the Overview in Chromium meanwhile. Halfway through, one instance is killed
(SIGKILL) and started again; its tablets reconnect through the proxy and carry on.

Save latency is the same for both kinds of tablet: from the WebSocket message carrying the answer
to the item's line saying "Saved", which the app sends only after the store has committed it. A
Chromium tablet also gives tap -> "Saved" drawn (its page's own work on top). The Overview time is
from asking for the page to the screen drawn, charts included. The CPU each part used over the
round (the instances, PostgreSQL, nginx, and the load generator itself: this process, Playwright
and Chromium) is read from /proc and printed, so a figure that measures the load generator shows
as one.

Afterwards PostgreSQL is read: every item of every tablet's assessment must be there exactly
once, with the value the tablet gave, under that tablet's assessment and assessor, and every save
of it in the audit trail by that assessor. A conflict the app reported is counted; one it did not
report would show as a wrong or missing value. Traffic goes to 127.0.0.1 only; the run is bounded
by --minutes plus a grace period, and by the count of tablets.

What limits throughput, measured (docs/deployment.md#under-load has the runs): Streamlit's cost
per session. One save is two fragment runs (the item, then the summary): about 50 ms of an
instance's CPU (86 ms while Streamlit collected all garbage after every run, now off in
.streamlit/config.toml), of which the store's transaction is a fifth; opening the Assess screen is
a full run drawing all 48 items, about 0.5 s of CPU warm. PostgreSQL and nginx stayed at about 1 %
of a core. A Chromium tab drawing Streamlit's page costs more CPU than the instance spends serving
it, which is why rounds of Chromium tablets on two cores measured the browsers, not the app.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import time
from pathlib import Path

from playwright.async_api import async_playwright

from bench.load_browser import run_manager, run_tablet
from bench.load_protocol import run_protocol_tablet
from bench.load_round import Round, TabletLog, check_store, seed_round
from deploy.stack import LocalDeployment
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_assess import CLASSROOM

# The tablets start this many seconds apart.
RAMP_SECONDS = 1.5


# --------------------------------------------------------------------------------------------
# Who used the CPU: every process this run started, by part
# --------------------------------------------------------------------------------------------


def _processes() -> dict[int, tuple[int, str, float]]:
    """{pid: (parent pid, command line, CPU seconds so far)} of every process on the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (int(fields[1]), command, (int(fields[11]) + int(fields[12])) / ticks)
    return found


def _part(command: str, ports: dict[int, str]) -> str:
    if "streamlit" in command and "--server.port" in command:
        port = int(command.split("--server.port", 1)[1].split()[0])
        return ports.get(port, f"instance :{port}")
    if "postgres" in command:
        return "PostgreSQL"
    if "nginx" in command:
        return "nginx"
    if "calendar serve" in command:
        return "calendar server"
    return "load generator (this process, Playwright, Chromium)"


def cpu_by_part(deployment: LocalDeployment) -> dict[str, float]:
    """CPU seconds so far of this process and everything it started (the stack and the browsers),
    by part. (A process that ended, like an instance killed, takes its seconds with it.)"""
    processes = _processes()
    ports = {instance.port: f"instance :{instance.port}" for instance in deployment.instances}
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    used: dict[str, float] = {}
    todo = [os.getpid()]
    while todo:
        pid = todo.pop()
        if pid in processes:
            part = _part(processes[pid][1], ports) if pid != os.getpid() else _part("", ports)
            used[part] = used.get(part, 0.0) + processes[pid][2]
        todo.extend(children.get(pid, []))
    return used


# --------------------------------------------------------------------------------------------
# The run and its figures
# --------------------------------------------------------------------------------------------


def connections_to(deployment: LocalDeployment, port: int) -> int:
    """How many WebSocket connections to this instance nginx has logged (it logs one when it ends)."""
    pattern = re.compile(rf'"GET /_stcore/stream[^"]*" 101 .*upstream=127\.0\.0\.1:{port} ')
    lines = (deployment.folder / "access.log").read_text(errors="replace").splitlines()
    return sum(1 for line in lines if pattern.search(line))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def describe(name: str, values: list[float], unit: str = "ms") -> str:
    if not values:
        return f"{name}: none"
    return (
        f"{name}: p50 {percentile(values, 0.5):.0f} {unit}, p95 {percentile(values, 0.95):.0f} {unit}, "
        f"max {max(values):.0f} {unit} over {len(values)}"
    )


async def load_round(
    deployment: LocalDeployment, round_: Round, minutes: float, restart: bool, browsers: int
) -> list[TabletLog]:
    """Play the round: the first `browsers` tablets in Chromium, the others on the protocol."""
    items = len(CLASSROOM.items)
    # Spread the checklist over the run, leaving a fifth of it for the slowest tablets.
    pause = max(0.0, minutes * 60 * 0.8 / items - 0.5)
    stop_at = time.monotonic() + minutes * 60 + 180
    logs = [TabletLog(browser=n < browsers) for n in range(len(round_.tablets))]
    overview_times: list[float] = []
    done = asyncio.Event()
    cpu_before = cpu_by_part(deployment)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        tablets = [
            asyncio.create_task(
                run_tablet(browser, deployment.url, tablet, pause, log, stop_at, n * RAMP_SECONDS)
                if log.browser
                else run_protocol_tablet(deployment.url, tablet, pause, log, stop_at, n * RAMP_SECONDS)
            )
            for n, (tablet, log) in enumerate(zip(round_.tablets, logs, strict=True))
        ]
        managers = [
            asyncio.create_task(run_manager(browser, deployment.url, who, overview_times, done))
            for who in round_.managers
        ]
        killed: list[int] = []
        restart_figures = ""
        if restart:
            await asyncio.sleep(minutes * 60 / 2)
            victim = deployment.instances[0]
            ended_before = connections_to(deployment, victim.port)
            before = [(log.disconnects, log.retried) for log in logs]
            down = time.perf_counter()
            gone = f"instance :{victim.port}"
            cpu_before[gone] = cpu_before.get(gone, 0.0) - cpu_by_part(deployment).get(gone, 0.0)  # its own
            await asyncio.to_thread(deployment.kill_instance, victim)
            await asyncio.sleep(3)  # the instance stays down a moment, as a crashed one would
            cut = connections_to(deployment, victim.port) - ended_before
            await asyncio.to_thread(deployment.start_instance, victim)
            back = time.perf_counter() - down
            await asyncio.sleep(2)
            killed = [n for n, log in enumerate(logs) if (log.disconnects, log.retried) > before[n]]
            restart_figures = (
                f"restart: instance :{victim.port} killed at {down - started:.0f} s, serving again after "
                f"{back:.1f} s; {cut} open connections to it were cut (tablets and managers), "
                f"{len(killed)} of them tablets'"
            )
        await asyncio.gather(*tablets)
        elapsed = time.perf_counter() - started
        cpu = {part: s - cpu_before.get(part, 0.0) for part, s in cpu_by_part(deployment).items()}
        done.set()
        await asyncio.gather(*managers)
        await browser.close()

    print(f"tablets: {len(logs)} ({browsers} in Chromium), each {items} items of the classroom checklist, "
          f"over {elapsed:.0f} s")  # fmt: skip
    print(f"finished the checklist: {sum(log.finished for log in logs)} of {len(logs)}")
    for n, log in enumerate(logs):
        if log.error:
            print(f"  tablet {n + 1} ({'Chromium' if log.browser else 'protocol'}): {log.error}")
    saves = [ms for log in logs for ms in log.saves_ms + log.text_saves_ms]
    print(f"saves: {len(saves)}, {len(saves) / elapsed:.2f} per second")
    for name, chosen in (
        ("protocol", [g for g in logs if not g.browser]),
        ("Chromium", [g for g in logs if g.browser]),
    ):
        if not chosen:
            continue
        print(describe(f"{name} tablets, answer sent -> Saved (tap)", [ms for g in chosen for ms in g.saves_ms]))
        print(
            describe(f"{name} tablets, answer sent -> Saved (reading)", [ms for g in chosen for ms in g.text_saves_ms])
        )
        print(describe(f"{name} tablets, Assess screen opened", [s * 1000 for g in chosen for s in g.opened_s]))
    drawn = [ms for log in logs for ms in log.drawn_ms]
    if drawn:
        print(describe("Chromium tablets, tap or Enter -> Saved drawn", drawn))
    print(describe(f"Overview drawn ({len(round_.managers)} managers reloading)", [t * 1000 for t in overview_times]))
    if restart:
        print(restart_figures)
        carried = sum(1 for n in killed if logs[n].carried_on and not logs[n].signed_out)
        print(
            f"reconnected and carried on signed in: {carried} of {len(killed)}; signed out: "
            f"{sum(log.signed_out for log in logs)}; answers given again after the loss: "
            f"{sum(log.retried for log in logs)}"
        )
    print(f"conflicts the app reported: {sum(log.conflicts for log in logs)}")
    print(f"CPU over the round ({elapsed:.0f} s, {os.cpu_count()} cores on this machine):")
    for part, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
        print(f"  {part}: {seconds:.1f} s, {100 * seconds / elapsed:.0f} % of a core")
    if saves:
        served = sum(s for part, s in cpu.items() if part.startswith("instance"))
        print(f"  instances' CPU per save (the Overview reloads and screen openings included): "
              f"{1000 * served / len(saves):.0f} ms")  # fmt: skip
    return logs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tablets", type=int, default=20, help="simulated tablets (default 20)")
    parser.add_argument("--browser-tablets", type=int, default=2, help="of them in Chromium (default 2)")
    parser.add_argument("--managers", type=int, default=2, help="managers reloading the Overview (default 2)")
    parser.add_argument("--minutes", type=float, default=5, help="how long a checklist takes (default 5)")
    parser.add_argument("--no-restart", action="store_true", help="do not kill and restart an instance")
    args = parser.parse_args(argv)
    if not 1 <= args.tablets <= 100 or not 0 <= args.managers <= 10 or not 0.5 <= args.minutes <= 30:
        parser.error("--tablets 1 to 100, --managers 0 to 10, --minutes 0.5 to 30")
    if not 0 <= args.browser_tablets <= args.tablets:
        parser.error("--browser-tablets 0 to --tablets")
    deployment = LocalDeployment(instances_wanted=2, demo=False)
    print("Starting PostgreSQL, the release step, two app instances and nginx…", flush=True)
    deployment.start()
    try:
        round_ = seed_round(deployment.database_url, args.tablets, args.managers)
        logs = asyncio.run(load_round(deployment, round_, args.minutes, not args.no_restart, args.browser_tablets))
        problems, unreached = check_store(deployment.database_url, round_, logs)
        answers = len(round_.tablets) * len(CLASSROOM.items)
        shown = sum(len(log.saved_items) for log in logs)
        print(
            f"PostgreSQL: {answers - unreached} of {answers} items answered ({shown} shown 'Saved' on the tablets; "
            f"{unreached} items not reached within the time bound)"
        )
        if problems:
            print(f"PostgreSQL: {len(problems)} problems")
            for problem in problems:
                print(f"  {problem}")
        else:
            print(
                "PostgreSQL: every answer a tablet saw saved is there exactly once, with its value, under the "
                "right assessment and assessor; the audit trail has only that assessor's saves"
            )
    finally:
        deployment.stop()


if __name__ == "__main__":
    main()
