"""What changed between two versions of a résumé, in sentences the version history shows."""

from __future__ import annotations

from typing import Any

from core.engine.resume_builder.model import Resume, field_label


def _flat(value: Any, path: tuple[str | int, ...] = ()) -> dict[tuple[str | int, ...], str]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _flat(item, (*path, key)).items()}
    if isinstance(value, list) and path != ("skills",):
        return {k: v for i, item in enumerate(value) for k, v in _flat(item, (*path, i)).items()}
    if isinstance(value, list):
        return {path: ", ".join(value)} if value else {}
    return {path: str(value)} if value else {}


def describe(before: Resume | None, after: Resume) -> list[str]:
    """['Phone added', 'Skills: added Tableau', …]; a first version is 'First version'."""
    if before is None:
        return ["First version"]
    old, new = _flat(before.model_dump()), _flat(after.model_dump())
    lines: list[str] = []
    added = set(after.skills) - set(before.skills)
    removed = set(before.skills) - set(after.skills)
    if added or removed:
        parts = ([f"added {', '.join(sorted(added))}"] if added else []) + (
            [f"removed {', '.join(sorted(removed))}"] if removed else []
        )
        lines.append("Skills: " + "; ".join(parts))
    for path in sorted(old.keys() | new.keys(), key=lambda p: [str(x).zfill(4) for x in p]):
        if path == ("skills",) or old.get(path) == new.get(path):
            continue
        verb = "added" if path not in old else "removed" if path not in new else "changed"
        lines.append(f"{field_label(path)} {verb}")
    return lines or ["No changes"]
