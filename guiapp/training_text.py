"""Words that come from ``training/`` (which has no Qt), translated where the GUI shows them.

``training/`` speaks English: the command line and its JSON never change with the
interface's language. The GUI translates what it shows of it here, at display time:

- fixed strings (class names, dataset titles, architecture descriptions, recipe
  labels, the slim build's note) by their exact English text;
- messages with values in them (a job's status lines, the Keras-style epoch line,
  why an image could not be read) by templates: each template below is the exact
  English wording with ``{field}`` where training puts a value. A message that
  matches a template is rebuilt from the template's translation, its values
  translated in turn when they are known strings (a dataset title). A message that
  matches nothing is shown as it is, in English.

The templates are marked with ``QT_TRANSLATE_NOOP`` so ``pyside6-lupdate`` collects
them into the ``.ts`` file like any ``tr()`` string; ``tests/guiapp/test_i18n.py``
checks that training's actual wording still matches them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from training.images import ImageLoadError

CLASSES = "classes"
"""The translation context of class names."""
CONTEXT = "training"
"""The translation context of everything else from training/."""

CLASS_NAMES = (
    QT_TRANSLATE_NOOP("classes", "T-shirt/top"),
    QT_TRANSLATE_NOOP("classes", "Trouser"),
    QT_TRANSLATE_NOOP("classes", "Pullover"),
    QT_TRANSLATE_NOOP("classes", "Dress"),
    QT_TRANSLATE_NOOP("classes", "Coat"),
    QT_TRANSLATE_NOOP("classes", "Sandal"),
    QT_TRANSLATE_NOOP("classes", "Shirt"),
    QT_TRANSLATE_NOOP("classes", "Sneaker"),
    QT_TRANSLATE_NOOP("classes", "Bag"),
    QT_TRANSLATE_NOOP("classes", "Ankle boot"),
)
"""Fashion-MNIST's classes (training.datasets.GARMENTS); digits stay digits."""

MESSAGES = (
    # training.datasets: titles
    QT_TRANSLATE_NOOP("training", "Digits (MNIST)"),
    QT_TRANSLATE_NOOP("training", "Garments (Fashion-MNIST)"),
    # training.models: architecture descriptions
    QT_TRANSLATE_NOOP(
        "training", "The Keras tutorial CNN: 2 conv + pool blocks, Dense(100), Dropout(0.4)"
    ),
    QT_TRANSLATE_NOOP(
        "training",
        "Stronger and faster: 3 strided conv + batch-norm blocks (32/64/128), Dense(128), dropout",
    ),
    QT_TRANSLATE_NOOP(
        "training",
        "sketch-cnn with 1.5x the filters (48/96/192) and less dropout: more accurate, "
        "a little slower to train",
    ),
    QT_TRANSLATE_NOOP(
        "training",
        "Five conv + batch-norm blocks (32/32/64/64/128), the first at full resolution, "
        "Dense(128), dropout: sees thin details, slower to train",
    ),
    # training.preprocessing: recipes
    QT_TRANSLATE_NOOP(
        "training", "Digit-like: the ink fitted into 20 px, centred by its mass (MNIST)"
    ),
    QT_TRANSLATE_NOOP(
        "training", "Object-like: the whole shape fitted into 28 px, centred (Fashion-MNIST)"
    ),
    # training.flavour
    QT_TRANSLATE_NOOP(
        "training",
        "This is the slim build of Sketch Classifier: it classifies, but training, "
        "evaluating and exporting models need TensorFlow, which only the full build "
        "(sketch-classifier, from `make package`) or a source install (`make run`) has.",
    ),
    # training.job: status lines
    QT_TRANSLATE_NOOP("training", "Reading the images in {folder}…"),
    QT_TRANSLATE_NOOP("training", "Loading {title}…"),
    QT_TRANSLATE_NOOP("training", "Evaluating on {count} test images…"),
    QT_TRANSLATE_NOOP("training", "Starting TensorFlow and building the model…"),
    QT_TRANSLATE_NOOP("training", "Training…"),
    QT_TRANSLATE_NOOP("training", "Saving…"),
    # training.progress.EpochMetrics.log_line
    QT_TRANSLATE_NOOP(
        "training",
        "Epoch {epoch}/{epochs} - {seconds}s - loss: {loss} - accuracy: {accuracy}"
        " - val_loss: {val_loss} - val_accuracy: {val_accuracy}",
    ),
    QT_TRANSLATE_NOOP(
        "training",
        "Epoch {epoch}/{epochs} - {seconds}s - loss: {loss} - accuracy: {accuracy}"
        " - val_loss: {val_loss} - val_accuracy: {val_accuracy} (best)",
    ),
    # training.datasets: a missing dataset
    QT_TRANSLATE_NOOP("training", "{title} was not found. Looked in:\n{places}\nTo get it: {how}"),
    QT_TRANSLATE_NOOP("training", "{place} is unusable: {reason}"),
    # training.images.ImageLoadError reasons
    QT_TRANSLATE_NOOP("training", "file not found"),
    QT_TRANSLATE_NOOP("training", "permission denied"),
    QT_TRANSLATE_NOOP("training", "cannot read file ({reason})"),
    QT_TRANSLATE_NOOP("training", "is a directory"),
    QT_TRANSLATE_NOOP("training", "not a regular file"),
    QT_TRANSLATE_NOOP("training", "empty file (0 bytes)"),
    QT_TRANSLATE_NOOP("training", "SVG images are not supported; export it as PNG"),
    QT_TRANSLATE_NOOP("training", "not an image this app can read"),
    QT_TRANSLATE_NOOP("training", "image too large: {size} (limit {limit})"),
    QT_TRANSLATE_NOOP("training", "image is truncated or corrupt"),
    QT_TRANSLATE_NOOP("training", "image is blank (fully transparent)"),
    QT_TRANSLATE_NOOP("training", "image contains NaN or infinite values"),
    QT_TRANSLATE_NOOP("training", "image is empty (shape {shape})"),
    # training.examples: the disk (the {doing} values are DOINGS, below)
    QT_TRANSLATE_NOOP(
        "training",
        "Cannot {doing} in {folder}: {reason}. Choose another data folder "
        "(set XDG_DATA_HOME) or free the disk, then try again.",
    ),
    QT_TRANSLATE_NOOP("training", "the disk is read-only"),
    QT_TRANSLATE_NOOP("training", "you have no permission to write there"),
    QT_TRANSLATE_NOOP("training", "the disk is full"),
    QT_TRANSLATE_NOOP("training", "your disk quota is used up"),
    QT_TRANSLATE_NOOP("training", "a file is in the way of the folder"),
    QT_TRANSLATE_NOOP("training", "too many files named {stem} in {folder}"),
    # training.examples.check_name, for a class and for a mode
    QT_TRANSLATE_NOOP("training", "a class name cannot be empty"),
    QT_TRANSLATE_NOOP("training", "the class name {name}… is longer than {limit} characters"),
    QT_TRANSLATE_NOOP("training", "the class name {name} cannot start with a dot"),
    QT_TRANSLATE_NOOP("training", "the class name {name} cannot contain {char}"),
    QT_TRANSLATE_NOOP("training", "a mode name cannot be empty"),
    QT_TRANSLATE_NOOP("training", "the mode name {name}… is longer than {limit} characters"),
    QT_TRANSLATE_NOOP("training", "the mode name {name} cannot start with a dot"),
    QT_TRANSLATE_NOOP("training", "the mode name {name} cannot contain {char}"),
    # training.examples and training.examples_transfer: files skipped or refused
    QT_TRANSLATE_NOOP("training", "{file}: not a readable image ({error})"),
    QT_TRANSLATE_NOOP("training", "{file}: not an image in a class folder"),
    QT_TRANSLATE_NOOP("training", "{file}: refused, it points outside the folder"),
    QT_TRANSLATE_NOOP("training", "{file}: larger than {size} MB"),
    QT_TRANSLATE_NOOP("training", "Cannot import {source}: it does not exist"),
    QT_TRANSLATE_NOOP("training", "Cannot read {source}: {reason}"),
    QT_TRANSLATE_NOOP("training", "{path} exists already; choose a new name"),
    QT_TRANSLATE_NOOP("training", "{path} exists and is not empty; choose a new folder"),
    # training.custom_modes
    QT_TRANSLATE_NOOP("training", "{name} is a built-in mode; choose another name"),
    QT_TRANSLATE_NOOP("training", "a mode needs {low} to {high} classes (got {count})"),
    QT_TRANSLATE_NOOP("training", "each class needs its own name: {names} repeats"),
    QT_TRANSLATE_NOOP("training", "the classes cannot be called both 'train' and 'test'"),
    QT_TRANSLATE_NOOP("training", "unknown recipe {recipe}"),
    QT_TRANSLATE_NOOP("training", "a mode named {title} exists already"),
    QT_TRANSLATE_NOOP("training", "{path} is too large for a mode file"),
    QT_TRANSLATE_NOOP("training", "{path} cannot be read: {reason}"),
    QT_TRANSLATE_NOOP("training", "{path} is not a mode file (no class_names list)"),
    QT_TRANSLATE_NOOP("training", "{path}: title, recipe and class names must be text"),
    QT_TRANSLATE_NOOP("training", "{path}: model must be a path or null"),
    QT_TRANSLATE_NOOP("training", "{path}: its title {title} does not match the file name"),
    # training.explain
    QT_TRANSLATE_NOOP("training", "This model has no convolution layers to show: saliency only."),
)
"""Every string and template from training/ the GUI translates (see the docstring)."""

DOING = "doing"
"""The translation context of what could not be done on disk: the ``{doing}`` of
training.examples.disk_message, translated to fit that template's sentence (so it
has a context of its own: the same English word elsewhere may need other Korean)."""

DOINGS = (
    QT_TRANSLATE_NOOP("doing", "keep the example"),
    QT_TRANSLATE_NOOP("doing", "read the examples"),
    QT_TRANSLATE_NOOP("doing", "delete"),
    QT_TRANSLATE_NOOP("doing", "move"),
    QT_TRANSLATE_NOOP("doing", "import examples"),
    QT_TRANSLATE_NOOP("doing", "export"),
    QT_TRANSLATE_NOOP("doing", "create the folder"),
    QT_TRANSLATE_NOOP("doing", "create the mode"),
)
"""Every ``doing`` of training.examples.disk_message's callers (guiapp's too)."""

_FIELD = r"\{(\w+)\}"
"""A ``{field}`` in a template. (Patterns are given to ``re`` as strings, which it
caches: tests/test_import_rules.py flags any call named ``compile`` in guiapp/.)"""


@cache
def _templates() -> tuple[tuple[str, str], ...]:
    """(regular expression, template) for each template with fields, most specific first."""
    found = []
    for template in MESSAGES:
        if not re.search(_FIELD, template):
            continue
        parts = re.split(_FIELD, template)  # literal, name, literal, name, ..., literal
        pattern = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        found.append((pattern, template))
    # Longer literal text first: "... (best)" before the same line without it.
    found.sort(key=lambda item: -len(re.sub(_FIELD, "", item[1])))
    return tuple(found)


def translate_message(text: str) -> str:
    """``text`` (from training/) in the interface's language, or unchanged if unknown."""
    if text in MESSAGES:
        return QCoreApplication.translate(CONTEXT, text)
    for pattern, template in _templates():
        match = re.fullmatch(pattern, text, re.DOTALL)
        if match is not None:
            values = {name: _value(name, value) for name, value in match.groupdict().items()}
            return QCoreApplication.translate(CONTEXT, template).format(**values)
    return text


def _value(field: str, value: str) -> str:
    """A template's field value, translated if it is a known string."""
    if field == "doing" and value in DOINGS:
        return QCoreApplication.translate(DOING, value)
    return translate_message(value)


def translate_messages(texts: Sequence[str]) -> list[str]:
    """:func:`translate_message` of each (lists of problems or skipped files)."""
    return [translate_message(text) for text in texts]


def class_name(name: str) -> str:
    """A class name in the interface's language ("Ankle boot" → "앵클 부츠"; "7" stays)."""
    return QCoreApplication.translate(CLASSES, name) if name in CLASS_NAMES else name


def class_names(names: Sequence[str]) -> tuple[str, ...]:
    """:func:`class_name` of each."""
    return tuple(class_name(name) for name in names)


def image_error(exc: ImageLoadError) -> str:
    """Why an image could not be read, translated: "cat.png: 파일이 없습니다"."""
    reason = translate_message(exc.reason)
    if exc.path is None:
        return reason
    return f"{Path(exc.path).name}: {reason}"


def draw_hint(noun: str) -> str:
    """The blank canvas's answer: "Draw a digit" (a sentence per noun: Korean particles
    depend on the word)."""
    hints = {
        "digit": QCoreApplication.translate("nouns", "Draw a digit"),
        "garment": QCoreApplication.translate("nouns", "Draw a garment"),
    }
    return hints.get(noun, QCoreApplication.translate("nouns", "Draw an image"))


def draw_here_hint(noun: str) -> str:
    """The empty canvas's placeholder: "Draw a digit here"."""
    hints = {
        "digit": QCoreApplication.translate("nouns", "Draw a digit here"),
        "garment": QCoreApplication.translate("nouns", "Draw a garment here"),
    }
    return hints.get(noun, QCoreApplication.translate("nouns", "Draw an image here"))


def unsure_question(noun: str) -> str:
    """The end of the "unsure" note: "Is it a digit it knows?"."""
    questions = {
        "digit": QCoreApplication.translate("nouns", "Is it a digit it knows?"),
        "garment": QCoreApplication.translate("nouns", "Is it a garment it knows?"),
    }
    return questions.get(noun, QCoreApplication.translate("nouns", "Is it an image it knows?"))
