"""``jobfit tailor``: a CV tailored for one job (registered on the main app by ``ui/cli.py``).

Without ``--option`` or ``--add`` it lists the checklist (each option with what it moves, and a
request per required skill the CV does not show in a role with a result). ``--option ID``
(repeatable, or ``all``) applies options; ``--add "ROLE: SENTENCE"`` (repeatable) places the
user's own sentence as a bullet in the role it names (``tools.tailoring.evidence``). Prints the
score and the four measures before → after, then the tailored CV; ``--json`` prints one object.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def register(app: typer.Typer) -> None:
    app.command("tailor")(tailor_cmd)


def tailor_cmd(
    cv: Annotated[Path, typer.Option("--cv", help="CV file (PDF, DOCX, TXT, MD).")],
    job: Annotated[Path, typer.Option("--job", help="Job posting (TXT, MD, PDF, DOCX, JSON).")],
    option: Annotated[list[str] | None, typer.Option(
        "--option", help="An option id to apply (repeatable), or 'all'.")] = None,
    add: Annotated[list[str] | None, typer.Option(
        "--add", help='Your own line for a role, "ROLE OR COMPANY: SENTENCE" (repeatable).')]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Tailor a CV for a job: list the options, or apply them and your own lines."""
    from ui.cli import _run

    _run(lambda: _tailor(cv, job, list(option or []), list(add or []), as_json))


def _tailor(cv: Path, job: Path, options: list[str], additions: list[str],
            as_json: bool) -> None:
    from tools.schemas import CandidateProfile, MatchResult
    from tools.scoring import score_match
    from tools.tailoring import tailor_cv, tailoring_options
    from ui.cli import _calibration, _echo_json, _embedder, _load_cv, _load_job

    profile, posting = _load_cv(cv), _load_job(job)
    embedder, cal = _embedder(), _calibration()

    def score(p: CandidateProfile) -> MatchResult:  # the score `jobfit score` shows
        return score_match(p, posting, embedder=embedder, calibration=cal)

    if not options and not additions:
        found = tailoring_options(profile, posting, score=score, evidence=True)
        if as_json:
            _echo_json({"options": [o.model_dump(mode="json") for o in found]})
            return
        _print_options([o.model_dump(mode="json") for o in found])
        return
    tailored = tailor_cv(profile, posting, options, score=score, additions=additions)
    if as_json:
        _echo_json(tailored.model_dump(mode="json"))
        return
    lines = [f"Score: {tailored.before} → {tailored.after}"]
    lines += tailored.measured
    if tailored.applied:
        lines.append("Applied: " + ", ".join(tailored.applied))
    lines += [f"Note: {n}" for n in tailored.notes]
    lines += [f"Reverted: {v.line} ({v.reason})" for v in tailored.violations]
    typer.echo("\n".join(lines) + "\n\n" + tailored.markdown.rstrip())


def _print_options(options: list[dict[str, Any]]) -> None:
    if not options:
        typer.echo("Your CV is already well tailored for this job: no changes to suggest.")
        return
    asks = [o for o in options if o.get("action") == "show_in_role"]
    for i, o in enumerate(options, 1):
        if o in asks:
            continue
        line = f"{i}. {o['label']} [{o['id']}]"
        if o.get("measured"):
            line += f"\n   {o['measured']}"
        line += f"\n   {o['detail']}"
        typer.echo(line)
    if asks:  # requests for the user's own line: no option to pick, a line to add
        typer.echo("\nTo show these, I need your own words (added as you write them):")
    for o in asks:
        reply = str(o.get("prompt") or "").removeprefix("Reply: add to ")
        typer.echo(f"- {o['label']}" + (f'\n   --add "{reply}"' if reply else ""))
    typer.echo('\nApply with --option ID (or --option all); add your own line with '
               '--add "ROLE OR COMPANY: SENTENCE".')
