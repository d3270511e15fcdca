"""The interface's language, with Qt's own translation system.

Every user-visible string in ``guiapp/`` goes through ``self.tr()`` or
``QCoreApplication.translate()``; ``pyside6-lupdate`` collects them into
``resources/translations/sketch_classifier_ko.ts`` (the source, edited by people
or in Qt Linguist), and ``pyside6-lrelease`` compiles that into the ``.qm`` file a
:class:`~PySide6.QtCore.QTranslator` loads here (``make translations``).

Placeholders are Python ``str.format`` fields (``"Loaded {source}."``): a
translation keeps the same names, in whatever order the language needs.

The language is chosen once, before the window is built: the Language setting
("system", "en" or "ko"), where "system" follows the system locale (Korean for a
``ko`` locale, English otherwise). Changing the setting takes effect at the next
start: every widget sets its text once, and re-translating them all live would
need a ``changeEvent`` in every one of them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from training.modelinfo import resources_dir

SYSTEM = "system"
ENGLISH = "en"
KOREAN = "ko"
LANGUAGES = (SYSTEM, ENGLISH, KOREAN)
"""The Language setting's values, in menu order."""

TRANSLATED = (KOREAN,)
"""Languages with a translation file; English is the source text itself."""

CATALOGUE = "sketch_classifier"
"""The translation files' base name: ``sketch_classifier_<language>.ts/.qm``."""


def translations_dir() -> Path:
    """``resources/translations`` (in a source checkout or the packaged build)."""
    return resources_dir() / "translations"


def qm_path(language: str) -> Path:
    """The compiled translation of the app's own strings for ``language``."""
    return translations_dir() / f"{CATALOGUE}_{language}.qm"


def system_language(locale: QLocale | None = None) -> str:
    """ "ko" when the (system) locale is Korean, else "en"."""
    locale = locale if locale is not None else QLocale.system()
    return KOREAN if locale.language() == QLocale.Language.Korean else ENGLISH


def resolve_language(setting: str, locale: QLocale | None = None) -> str:
    """The language to show: the setting, or the system's for "system" (or junk).

    Args:
        setting: The Language setting: "system", "en" or "ko".
        locale: The system locale (tests pass one); :meth:`QLocale.system` when None.
    """
    if setting in (ENGLISH, KOREAN):
        return setting
    return system_language(locale)


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load ``language``'s translations into ``app``; return the translators installed.

    Two catalogues: the app's own, and Qt's (``qtbase_<language>.qm``: the standard
    buttons of message boxes and file dialogs), from Qt's translations folder or,
    in the packaged build, from ``resources/translations``. A missing file is not
    an error: those strings stay English (``make translations`` builds the app's).

    Args:
        app: The application; the translators become its children (kept alive).
        language: "en" (nothing to load) or "ko".
    """
    if language not in TRANSLATED:
        return []
    installed = []
    qt_dirs = (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), translations_dir())
    candidates = [(f"qtbase_{language}", str(folder)) for folder in qt_dirs]
    candidates.append((f"{CATALOGUE}_{language}", str(translations_dir())))
    loaded_qt = False
    for name, folder in candidates:
        if name.startswith("qtbase_") and loaded_qt:
            continue
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            installed.append(translator)
            loaded_qt = loaded_qt or name.startswith("qtbase_")
        else:
            translator.deleteLater()
    return installed


def uninstall_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Undo :func:`install_translators` (tests switch languages in one process)."""
    for translator in translators:
        app.removeTranslator(translator)
        translator.deleteLater()
