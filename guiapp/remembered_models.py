"""Which model each mode (digits, garments) used last: read, checked and remembered.

The Classify tab starts with the last mode's last model, lists every mode's
remembered model in its chooser, and remembers each model it switches to. A
remembered model that is gone or unusable is forgotten, with a note saying so.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from guiapp.model_chooser import entry_key, resolve_entry
from guiapp.settings import AppSettings
from training.custom_modes import find_mode
from training.modelinfo import (
    BUNDLED_MODEL_MODES,
    BUNDLED_MODELS,
    ModelInfo,
    ModelNotFoundError,
    bundled_model_info,
    resolve_model,
)


def remembered_model(settings: AppSettings) -> tuple[ModelInfo, str]:
    """The model to start with (the last mode's last model) and a note, if any.

    Args:
        settings: Where the mode and each mode's model are remembered.

    Returns:
        The model, and "" or a note saying why the remembered one was forgotten.
    """
    custom = find_mode(settings.custom_mode() or "")  # a mode of the user's own classes
    if custom is not None and custom.model:
        try:
            return resolve_model(custom.model), ""
        except ValueError:
            pass  # its model is gone: the teach row teaches the mode again
    mode = settings.mode()
    path = settings.mode_model(mode)
    if path is None:
        return bundled_model_info(mode), ""
    try:
        return resolve_entry(path), ""
    except ModelNotFoundError:
        settings.set_mode_model(mode, None)
        return bundled_model_info(mode), (
            QCoreApplication.translate(
                "remembered_models",
                "The {mode} model used last ({path}) is gone; using the bundled {mode} model.",
            ).format(mode=_mode_name(mode), path=path)
        )
    except ValueError as exc:  # its JSON became unusable (ModelMetadataError)
        settings.set_mode_model(mode, None)
        return bundled_model_info(mode), (
            QCoreApplication.translate(
                "remembered_models",
                "The {mode} model used last cannot be used ({reason}); "
                "using the bundled {mode} model.",
            ).format(mode=_mode_name(mode), reason=exc)
        )


def _mode_name(mode: str) -> str:
    """The mode's name in the interface's words ("digits", "garments")."""
    names = {
        "digits": QCoreApplication.translate("remembered_models", "digits"),
        "garments": QCoreApplication.translate("remembered_models", "garments"),
    }
    return names.get(mode, mode)


def remembered_models(settings: AppSettings) -> list[ModelInfo]:
    """Every mode's remembered model that is not bundled and can still be used."""
    models = []
    for mode in BUNDLED_MODELS:
        path = settings.mode_model(mode)
        # A bundled model's name is listed already (if its file is there).
        if path is not None and path not in BUNDLED_MODEL_MODES and Path(path).is_file():
            try:
                models.append(resolve_model(path))
            except ValueError:  # an unusable JSON: not offered
                continue
    return models


def remember(settings: AppSettings, info: ModelInfo) -> None:
    """Remember ``info`` as its mode's model, and its mode as the last one."""
    if info.dataset not in BUNDLED_MODELS:
        return  # a model of the user's own classes belongs to no mode
    key = entry_key(info)  # a bundled model's name, or the resolved path
    settings.set_mode(info.dataset)
    settings.set_mode_model(info.dataset, None if key in BUNDLED_MODELS else key)
