"""The Train tab's settings form: what to train on and how; it produces the job.

Kept apart from the run control and the results so that later features (a dataset
download, personalisation) get their own rows here without touching the rest:
:meth:`TrainSettingsForm.add_data_widget` puts a widget right under the data
folder row.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from guiapp.training_text import translate_message
from training.datasets import DATASETS
from training.job import TrainJob
from training.modelinfo import ModelInfo
from training.models import ARCHITECTURES, DEFAULT_ARCHITECTURE
from training.preprocessing import RECIPES
from training.trainer import TrainConfig

FOLDER = "folder"
"""The dataset choice "a folder of my own images"."""

AUGMENT_BY_DEFAULT = frozenset({"sketch-cnn", "sketch-cnn-wide", "sketch-cnn-deep"})
"""Architectures the "Augment like real input" box starts checked for.

The ``sketch-cnn`` family exists to recognise what people draw and
photograph, which is what augmentation teaches, and their batch norm and dropout
have room for the harder images. ``tutorial-cnn`` stays the tutorial's recipe (the
data as they come, as ``train --architecture tutorial-cnn`` does), so learners get
the tutorial's figures. The user's own tick wins over either."""

AUGMENT_TIP = QT_TRANSLATE_NOOP(
    "TrainSettingsForm",
    "Train on images changed the way real input differs from the dataset: scaled, "
    "rotated up to ±15°, sheared and shifted; thicker and thinner strokes; blurred "
    "and low-resolution like a scan; other contrast; for garments also mirrored, "
    "drawn as outlines, line drawings, doodles and filled silhouettes, so that the "
    "model learns drawings, scans and photos, not only the dataset's own images. "
    "Seeded by the random seed; validation and test images stay as they are. "
    "Epochs may take longer. "
    "(--augment on the command line)",
)

LR_DECAY_TIP = QT_TRANSLATE_NOOP(
    "TrainSettingsForm",
    "Cut the learning rate to a third after each epoch without a better validation "
    "loss (down to 0.00001), so the last epochs refine rather than jump around. "
    "Give it room with an early-stopping patience of 3 or more. "
    "(--lr-decay on the command line)",
)

LR_COSINE_TIP = QT_TRANSLATE_NOOP(
    "TrainSettingsForm",
    "Lower the learning rate along a half cosine, from the rate above in the first "
    "epoch to a hundredth of it in the last: every epoch's rate is planned, so the "
    "last epochs refine even when the validation loss is noisy (augmented runs). "
    "The bundled garments model is trained this way. "
    "(--lr-cosine on the command line)",
)

LR_CONSTANT_TIP = QT_TRANSLATE_NOOP(
    "TrainSettingsForm", "The same learning rate in every epoch, as in the tutorial"
)

LR_SCHEDULES = (
    ("constant", QT_TRANSLATE_NOOP("TrainSettingsForm", "Constant"), LR_CONSTANT_TIP),
    ("decay", QT_TRANSLATE_NOOP("TrainSettingsForm", "Cut when stuck"), LR_DECAY_TIP),
    (
        "cosine",
        QT_TRANSLATE_NOOP("TrainSettingsForm", "Cosine, down to a hundredth"),
        LR_COSINE_TIP,
    ),
)
"""The learning-rate schedules offered: (key, label, tooltip)."""


class TrainSettingsForm(QGroupBox):
    """Dataset, data folder, architecture and training settings, and fine-tuning.

    Signals:
        architectureChanged(str): Another architecture was chosen (its registry name).
    """

    architectureChanged = Signal(str)

    def __init__(
        self, data_dir: str | os.PathLike[str] | None = None, parent: QWidget | None = None
    ) -> None:
        """Build the form with the default settings.

        Args:
            data_dir: A first folder to look in for the built-in datasets.
            parent: The Qt parent.
        """
        super().__init__(parent)
        self.setTitle(self.tr("Settings"))
        self._model_in_use: ModelInfo | None = None
        self._data_widgets: list[QWidget] = []  # added under the data folder row

        self.dataset_combo = QComboBox()
        for name, spec in DATASETS.items():
            self.dataset_combo.addItem(translate_message(spec.title), name)
        self.dataset_combo.addItem(self.tr("A folder of my own images…"), FOLDER)
        self.dataset_combo.currentIndexChanged.connect(self._update_enabled)

        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText(self.tr("one sub-folder of images per class"))
        self.folder_button = QPushButton(self.tr("Browse…"))
        self.folder_button.clicked.connect(self._choose_folder)
        self.recipe_combo = QComboBox()
        for recipe, label in RECIPES.items():
            label = translate_message(label)  # noqa: PLW2901  (the same label, translated)
            self.recipe_combo.addItem(label, recipe)
            self.recipe_combo.setItemData(
                self.recipe_combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole
            )
        # The recipes' long descriptions must not set the form's width: wider than
        # the side panel, the form was cut off on the right. The list shows them whole.
        self.recipe_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.recipe_combo.setMinimumContentsLength(12)
        self.data_dir_edit = QLineEdit(str(data_dir) if data_dir else "")
        self.data_dir_edit.setPlaceholderText(
            self.tr("standard places ($SKETCH_CLASSIFIER_DATA, ~/.keras…)")
        )
        self.data_dir_button = QPushButton(self.tr("Browse…"))
        self.data_dir_button.clicked.connect(self._choose_data_dir)

        self.architecture_combo = QComboBox()
        for name, architecture in ARCHITECTURES.items():
            self.architecture_combo.addItem(name, name)
            self.architecture_combo.setItemData(
                self.architecture_combo.count() - 1,
                translate_message(architecture.description),
                Qt.ItemDataRole.ToolTipRole,
            )
        # The chosen architecture's description, always visible: a tooltip alone
        # hides what tells the two apart.
        self.architecture_note = QLabel()
        self.architecture_note.setWordWrap(True)

        defaults = TrainConfig()
        self.augment_check = QCheckBox(self.tr("Augment like real input"))
        self.augment_check.setToolTip(self.tr(AUGMENT_TIP))
        # Until the user sets it, it follows the architecture (see AUGMENT_BY_DEFAULT).
        self._augment_chosen = False
        self.augment_check.clicked.connect(self._on_augment_clicked)
        self.schedule_combo = QComboBox()
        for key, label, tip in LR_SCHEDULES:
            self.schedule_combo.addItem(self.tr(label), key)
            self.schedule_combo.setItemData(
                self.schedule_combo.count() - 1, self.tr(tip), Qt.ItemDataRole.ToolTipRole
            )
        # It starts on TrainConfig's own schedule, as every other setting starts on its default.
        default_schedule = (
            "cosine" if defaults.lr_cosine else "decay" if defaults.lr_decay else "constant"
        )
        self.schedule_combo.setCurrentIndex(self.schedule_combo.findData(default_schedule))
        self.schedule_combo.currentIndexChanged.connect(self._on_schedule)
        self._on_schedule()
        self.architecture_combo.setCurrentIndex(
            self.architecture_combo.findData(DEFAULT_ARCHITECTURE)
        )
        self._follow_architecture()
        self.architecture_combo.currentIndexChanged.connect(self._on_architecture)

        self.epochs_spin = _spin(1, 1000, defaults.epochs)
        self.batch_spin = _spin(1, 4096, defaults.batch_size)
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(5)
        self.lr_spin.setRange(0.00001, 1.0)
        self.lr_spin.setSingleStep(0.0001)
        self.lr_spin.setValue(defaults.learning_rate)
        self.val_spin = QDoubleSpinBox()
        self.val_spin.setRange(0.05, 0.5)
        self.val_spin.setSingleStep(0.05)
        self.val_spin.setValue(defaults.validation_fraction)
        self.patience_spin = _spin(0, 100, defaults.patience)
        self.seed_spin = _spin(0, 2**31 - 1, defaults.seed)
        self.fine_tune_check = QCheckBox(self.tr("Fine-tune the model in use"))
        self.fine_tune_check.setToolTip(
            self.tr("Start from the Classify tab's model instead of a fresh one")
        )

        self._form = QFormLayout(self)
        # Rows wrap under their labels when the form is narrow (a small window, or 2x).
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._form.addRow(self.tr("Dataset"), self.dataset_combo)
        self._form.addRow(self.tr("Image folder"), _row(self.folder_edit, self.folder_button))
        self._form.addRow(self.tr("Recipe"), self.recipe_combo)
        self._data_dir_row = _row(self.data_dir_edit, self.data_dir_button)
        self._form.addRow(self.tr("Data folder"), self._data_dir_row)
        self._form.addRow(self.tr("Architecture"), self.architecture_combo)
        self._form.addRow("", self.architecture_note)
        self._form.addRow(self.augment_check)
        self._form.addRow(self.tr("Epochs (max)"), self.epochs_spin)
        self._form.addRow(self.tr("Batch size"), self.batch_spin)
        self._form.addRow(self.tr("Learning rate"), self.lr_spin)
        self._form.addRow(self.tr("Learning-rate schedule"), self.schedule_combo)
        self._form.addRow(self.tr("Validation fraction"), self.val_spin)
        self._form.addRow(self.tr("Early-stopping patience"), self.patience_spin)
        self._form.addRow(self.tr("Random seed"), self.seed_spin)
        self._form.addRow(self.fine_tune_check)
        self._update_enabled()

    # ----- public API ------------------------------------------------------------------

    def add_data_widget(self, widget: QWidget, label: str = "") -> None:
        """Put ``widget`` under the Data folder row (e.g. a dataset download).

        It is enabled with the data folder row: only for the built-in datasets.
        """
        row = self._form.getWidgetPosition(self._data_dir_row)[0] + 1 + len(self._data_widgets)
        self._form.insertRow(row, label, widget)
        self._data_widgets.append(widget)
        self._update_enabled()

    def architecture(self) -> str:
        """The chosen architecture's registry name."""
        return self.architecture_combo.currentData()

    def set_model_in_use(self, info: ModelInfo | None) -> None:
        """Tell the form which model the Classify tab uses (for "fine-tune")."""
        self._model_in_use = info
        self.fine_tune_check.setText(
            self.tr("Fine-tune the model in use ({0})").format(info.name)
            if info
            else self.tr("Fine-tune the model in use")
        )
        self._update_enabled()

    def job(self, out_dir: Path, limit: tuple[int, int] | None = None) -> TrainJob:
        """The job the settings describe.

        Args:
            out_dir: Where the trained model goes.
            limit: At most (training, test) samples (tests, demos).

        Raises:
            ValueError: With a message for people, if the settings are incomplete.
        """
        dataset = self.dataset_combo.currentData()
        data_dir = None
        if dataset == FOLDER:
            folder = self.folder_edit.text().strip()
            if not folder:
                raise ValueError(
                    self.tr("Choose a folder of images first (one sub-folder per class).")
                )
            dataset = str(Path(folder).expanduser())
            if dataset in DATASETS:  # a folder literally named "digits" in the cwd
                dataset = str(Path(dataset).resolve())
        elif self.data_dir_edit.text().strip():
            data_dir = Path(self.data_dir_edit.text().strip()).expanduser()
        initial = None
        if self.fine_tune_check.isChecked() and self._model_in_use is not None:
            initial = self._model_in_use.path
        config = TrainConfig(
            architecture=self.architecture(),
            epochs=self.epochs_spin.value(),
            batch_size=self.batch_spin.value(),
            learning_rate=self.lr_spin.value(),
            validation_fraction=self.val_spin.value(),
            patience=self.patience_spin.value(),
            seed=self.seed_spin.value(),
            initial_model=initial,
            augment=self.augment_check.isChecked(),
            lr_decay=self.schedule_combo.currentData() == "decay",
            lr_cosine=self.schedule_combo.currentData() == "cosine",
        )
        return TrainJob(
            dataset=dataset,
            config=config,
            out_dir=out_dir,
            data_dir=data_dir,
            recipe=self.recipe_combo.currentData(),
            limit=limit,
        )

    # ----- reactions ---------------------------------------------------------------------

    @Slot()
    def _update_enabled(self) -> None:
        folder = self.dataset_combo.currentData() == FOLDER
        for widget in (self.folder_edit, self.folder_button, self.recipe_combo):
            widget.setEnabled(folder)
        for widget in (self.data_dir_edit, self.data_dir_button, *self._data_widgets):
            widget.setEnabled(not folder)
        self.fine_tune_check.setEnabled(self._model_in_use is not None)
        if self._model_in_use is None:
            self.fine_tune_check.setChecked(False)

    @Slot()
    def _on_architecture(self) -> None:
        self._follow_architecture()
        self.architectureChanged.emit(self.architecture())

    def _follow_architecture(self) -> None:
        """Describe the chosen architecture; set its augmentation default."""
        name = self.architecture()
        self.architecture_note.setText(translate_message(ARCHITECTURES[name].description))
        if not self._augment_chosen:
            self.augment_check.setChecked(name in AUGMENT_BY_DEFAULT)

    @Slot()
    def _on_schedule(self) -> None:
        # The chosen schedule's description shows on the closed box too.
        self.schedule_combo.setToolTip(self.schedule_combo.currentData(Qt.ItemDataRole.ToolTipRole))

    @Slot()
    def _on_augment_clicked(self) -> None:
        # clicked, not toggled: only the user's own choice stops the box following
        # the architecture.
        self._augment_chosen = True

    @Slot()
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Folder with one sub-folder per class")
        )
        if folder:
            self.folder_edit.setText(folder)

    @Slot()
    def _choose_data_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Folder with the dataset's IDX files")
        )
        if folder:
            self.data_dir_edit.setText(folder)


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    return row
