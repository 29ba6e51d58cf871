"""The explorer's page (Solara): compose a scenario, run it, compare, step, browse sweeps.

Served by ``fh-sim explore`` (or ``solara run fh_sim.explore.app``). Process-wide: the
region, the process pool and the run cache (shared by every browser tab); per tab: the
form, the result and the stepper (Solara reactive variables).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import solara
import solara.lab

from fh_sim.errors import FhSimError
from fh_sim.explore import scenario_form as sf
from fh_sim.explore.panels import ResultsView, StepView
from fh_sim.explore.runs import RunSpec, build_config, open_folder, run_comparison
from fh_sim.explore.shared import ready_scenario, shared
from fh_sim.explore.text import t


def error_text(err: BaseException) -> str:
    """The CLI's one-line message for ``err``."""
    from fh_sim.cli.errfmt import describe

    return f"error: {describe(err)}"


# -- per-tab state -------------------------------------------------------------------
lang = solara.reactive("en")
base_name = solara.reactive("baseline")
loaded: solara.Reactive[dict[str, Any] | None] = solara.reactive(None)  # a loaded file
scen_name = solara.reactive("my_scenario")
levers = solara.reactive(sf.FormLevers())
scale = solara.reactive(RunSpec().scale)
n_seeds = solara.reactive(RunSpec().n_seeds)
end_year = solara.reactive(RunSpec().end_year)
message = solara.reactive("")
save_dir = solara.reactive(str(Path.cwd() / "explorer_conf"))
load_path = solara.reactive("")
sweep_dir = solara.reactive("")
sweep_outcome: solara.Reactive[Any] = solara.reactive(None)
stepper: solara.Reactive[Any] = solara.reactive(None)
step_year = solara.reactive(0)
playing = solara.reactive(False)
stepping_now = solara.reactive(False)  # the play loop is running (a year may be in progress)
clicked_at = solara.reactive(0.0)


def set_lever(name: str):
    """An ``on_value`` callback setting one field of the form's levers."""
    return lambda v: levers.set(dataclasses.replace(levers.value, **{name: v}))


def composed() -> dict[str, Any]:
    """The scenario the form describes (raises FhSimError on a bad name or line)."""
    start = loaded.value if loaded.value is not None else ready_scenario(base_name.value)
    return sf.apply_levers(start, levers.value, shared().region, name=scen_name.value)


def spec() -> RunSpec:
    """Scale, horizon and seeds chosen in the form."""
    return RunSpec(
        scale=float(scale.value), end_year=int(end_year.value), n_seeds=int(n_seeds.value)
    )


@solara.lab.task
def run_task() -> Any:
    """Run the composed scenario against the cached baseline (progress in percent)."""
    run_task.progress = 0
    runner = shared().runner
    assert runner is not None
    try:
        outcome = run_comparison(
            runner,
            composed(),
            spec(),
            shared().region,
            progress=lambda d, n: setattr(run_task, "progress", 100 * d / n),
        )
    except FhSimError as err:  # a user error: the CLI's line, no traceback
        message.set(error_text(err))
        return None
    outcome.seconds = time.perf_counter() - clicked_at.value
    return outcome


def on_run() -> None:
    """The Run button."""
    clicked_at.set(time.perf_counter())
    message.set("")
    run_task()


def on_save() -> None:
    """Save the composed scenario as ``DIR/scenario/NAME.yaml``."""
    try:
        scen = composed()
        build_config(scen, spec(), shared().region)  # only valid scenarios are saved
        path = sf.save_scenario(scen, save_dir.value, source=base_name.value)
        load_path.set(str(path))
        message.set(
            f"{t('saved', lang.value)}: {path}  —  fh-sim run --config-dir "
            f"{Path(save_dir.value).resolve()} scenario={scen_name.value}"
        )
    except FhSimError as err:
        message.set(error_text(err))


def on_load() -> None:
    """Load a saved scenario file into the form (its interventions, levers reset)."""
    try:
        scen = sf.load_scenario_file(load_path.value)
    except FhSimError as err:
        message.set(error_text(err))
        return
    rest, lev = sf.split_levers(scen)
    loaded.set(rest)
    levers.set(lev)
    scen_name.set(scen["name"])
    message.set(f"{t('load', lang.value)}: {scen['name']} — {scen.get('description', '')}")


@solara.lab.task
def play_task() -> None:
    """Step the stepper until paused or done (about one year per model step)."""
    stepping_now.set(True)
    try:
        while playing.value and stepper.value is not None and not stepper.value.done:
            step_year.set(stepper.value.step())
            time.sleep(0.05)
    finally:
        playing.set(False)
        stepping_now.set(False)


def on_reset() -> None:
    """A fresh stepper for the composed scenario (first seed)."""
    playing.set(False)
    try:
        sim = build_config(composed(), spec(), shared().region)
    except FhSimError as err:
        message.set(error_text(err))
        return
    from fh_sim.explore.stepper import Stepper

    st = Stepper(sim, shared().region)
    stepper.set(st)
    step_year.set(st.year)


def stepping() -> bool:
    """Playing, or pausing while the year in progress is still being computed."""
    return bool(playing.value or stepping_now.value)


def on_play() -> None:
    """Toggle play / pause (a pause takes effect when the year in progress is done)."""
    if stepping():
        playing.set(False)
    else:
        playing.set(True)
        play_task()


def on_open_sweep() -> None:
    """Read a finished sweep or experiment folder."""
    try:
        sweep_outcome.set(open_folder(sweep_dir.value))
        message.set("")
    except FhSimError as err:
        message.set(error_text(err))


@solara.component
def Form():  # noqa: N802
    """The scenario form, run settings, Run, save and load."""
    from fh_sim.explore.form_panel import LeverInputs

    lg = lang.value
    region = shared().region

    def start_from(name: str) -> None:
        base_name.set(name)
        loaded.set(None)

    solara.Select(
        t("start_from", lg),
        value=base_name.value,
        values=sf.ready_made(),
        on_value=start_from,
    )
    solara.InputText(t("name", lg), value=scen_name, continuous_update=True)
    LeverInputs(levers.value, set_lever, region, lg)
    with solara.Card(t("run_settings", lg)):
        solara.InputFloat(t("scale", lg), value=scale)
        solara.InputInt(t("seeds", lg), value=n_seeds)
        solara.InputInt(t("end_year", lg), value=end_year)
    solara.Button(
        t("run", lg),
        on_click=on_run,
        color="primary",
        disabled=run_task.pending,
        classes=["run-button"],
    )
    if run_task.pending:
        solara.ProgressLinear(run_task.progress or True)
        solara.Text(f"{t('running', lg)}… {run_task.progress or 0:.0f} %")
    with solara.Card(t("save", lg)):
        solara.InputText(t("save_dir", lg), value=save_dir)
        solara.Button(t("save", lg), on_click=on_save, classes=["save-button"])
        solara.InputText(t("load_file", lg), value=load_path)
        solara.Button(t("load", lg), on_click=on_load, classes=["load-button"])


@solara.component
def Page():  # noqa: N802
    """The explorer."""
    lg = lang.value
    region = shared().region
    solara.Title(t("title", lg))
    with solara.AppBar():
        solara.ToggleButtonsSingle(value=lang, values=["en", "sv"])
    with solara.Sidebar(), solara.Column(style={"width": "360px"}):
        Form()
    if message.value:
        kind = solara.Error if message.value.startswith("error") else solara.Info
        kind(message.value, classes=["explorer-message"])
    if run_task.error and run_task.exception is not None:
        solara.Error(error_text(run_task.exception), classes=["explorer-message"])
    view = solara.use_reactive("results")
    names = {
        "results": t("table", lg) + " / " + t("map", lg),
        "step": t("step", lg),
        "sweep": t("sweep", lg),
    }
    solara.ToggleButtonsSingle(
        value=names[view.value],
        values=list(names.values()),
        on_value=lambda v: view.set(next(k for k, n in names.items() if n == v)),
    )
    if view.value == "results":
        outcome = run_task.value if run_task.finished else run_task.latest
        if outcome is None:
            solara.Info(t("no_result", lg))
        else:
            solara.Success(
                f"{t('result_in', lg)} {outcome.seconds:.1f} s "
                f"({outcome.runs_cached} {t('runs_cached', lg)})",
                classes=["result-time"],
            )
            ResultsView(outcome, region, lg)
    elif view.value == "step":
        StepView(
            stepper.value,
            region,
            lg,
            step_year.value,
            on_step=lambda: step_year.set(stepper.value.step()),
            playing=stepping(),
            on_play=on_play,
            on_reset=on_reset,
        )
    else:
        with solara.Row(style={"align-items": "center"}):
            solara.InputText(t("folder", lg), value=sweep_dir, style={"min-width": "480px"})
            solara.Button(t("open", lg), on_click=on_open_sweep, classes=["open-button"])
        if sweep_outcome.value is not None:
            ResultsView(sweep_outcome.value, region, lg)
