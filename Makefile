# Sketch Classifier: `make run` opens the app, `make test` runs every test.
# Both create .venv and install what they need on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Debian/Ubuntu libraries Qt needs on every platform, offscreen included (tests, CI),
# measured on minimal Debian 12.
QT_DEBS := libgl1 libegl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3
# ...and what Qt's xcb plugin adds to open a window on an X display (or XWayland):
# measured on minimal Debian 12 (debootstrap --variant=minbase) under Xvfb; keep in
# step with guiapp/system_libraries.py. libwayland-cursor0 is for native Wayland.
QT_DISPLAY_DEBS := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render0 \
  libxcb-render-util0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 libwayland-cursor0
# The Korean translation: the .ts is the source (committed); the .qm is built from it
# (not committed) by `make translations`, and by run, test and package when stale.
TS := resources/translations/sketch_classifier_ko.ts
QM := $(TS:.ts=.qm)
# `make run` needs the display set only where there is a display to open a window on.
RUN_DEBS := $(QT_DEBS) $(if $(DISPLAY)$(WAYLAND_DISPLAY),$(QT_DISPLAY_DEBS))

.PHONY: run lint test test-fast benchmarks benchmark-fonts screenshots system-libs package package-smoke \
  package-lite package-lite-smoke twins clean translations translations-check korean-font

run: $(VENV)/.installed $(QM)
	@$(MAKE) --no-print-directory system-libs QT_DEBS="$(RUN_DEBS)"
	@$(MAKE) --no-print-directory korean-font
	$(PY) main.py

# ruff's rules and settings are in pyproject.toml ([tool.ruff]).
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(VENV)/.installed-dev system-libs $(QM)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

test-fast: $(VENV)/.installed-dev system-libs $(QM)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow"

benchmarks: $(VENV)/.installed-dev system-libs benchmark-fonts
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_real_input.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_preprocessing.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_inference.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_drawn_digits.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_startup.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_training.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/bench_explain.py

screenshots: $(VENV)/.installed system-libs $(QM) korean-font
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshot_classify
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshot_train
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshot_classify --language ko
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshot_train --language ko
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshot_inside

# --- Translations (Qt's own system; see guiapp/i18n.py and tools/translations.py) ---
# New or changed strings in guiapp/ into the .ts (translations kept), then the .qm.
translations: $(VENV)/.installed
	$(PY) -m tools.translations update
	$(PY) -m tools.translations release
# Fails, listing them, when a string in guiapp/ is missing from or unfinished in the .ts.
translations-check: $(VENV)/.installed
	$(PY) -m tools.translations check
$(QM): $(TS) | $(VENV)/.installed
	$(PY) -m tools.translations release

# Korean text needs a CJK font (else it renders as boxes). fonts-nanum (Naver's Nanum
# fonts: 10 MB download, 33 MB installed) is smaller than fonts-noto-cjk (57 MB, 91 MB).
# Installed when root; otherwise the command is printed and the app still starts.
KOREAN_FONT_DEB := fonts-nanum
korean-font:
	@if command -v fc-list >/dev/null 2>&1 && [ -n "$$(fc-list :lang=ko family)" ]; then \
	  :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing a Korean font: $(KOREAN_FONT_DEB)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    $(KOREAN_FONT_DEB) >/dev/null) || echo "Could not install $(KOREAN_FONT_DEB)."; \
	else \
	  echo "For Korean text (한국어), install a CJK font: sudo apt-get install $(KOREAN_FONT_DEB)"; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# Handwriting-like fonts for bench_real_input.py's font digits (Debian packages).
# Optional: without them that set is skipped with a note.
BENCH_FONT_DEBS := fonts-comic-neue fonts-humor-sans fonts-breip
benchmark-fonts:
	@$(MAKE) --no-print-directory system-libs QT_DEBS="$(BENCH_FONT_DEBS)" || \
	  echo "Without these fonts bench_real_input.py skips its handwriting-font set."

# One-folder desktop build in dist/sketch-classifier/ (PyInstaller; a few minutes).
# The build bundles the X11 libraries Qt's xcb plugin links to, so they must be
# present here; binutils provides strip and readelf for the spec.
PACKAGE_DEBS := binutils $(QT_DISPLAY_DEBS) libxcb-randr0 libx11-xcb1 libxcb-shm0 libxcb-sync1 \
  libxcb-xfixes0 libxcb-glx0 libwayland-egl1
package: $(VENV)/.installed-package $(QM)
	@$(MAKE) --no-print-directory system-libs QT_DEBS="$(QT_DEBS) $(PACKAGE_DEBS)"
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN sketch-classifier.spec
	@du -sh dist/sketch-classifier

# Runs the built executable: classify, evaluate, a 1-epoch training, export, the GUI offscreen.
package-smoke: system-libs
	@test -x dist/sketch-classifier/sketch-classifier || { echo "Run 'make package' first."; exit 1; }
	$(PY) tests/benchmarks/smoke_package.py

# The slim build in dist/sketch-classifier-lite/: classifies with LiteRT, no TensorFlow.
package-lite: $(VENV)/.installed-package $(QM)
	@$(MAKE) --no-print-directory system-libs QT_DEBS="$(QT_DEBS) $(PACKAGE_DEBS)"
	SKETCH_BUILD=lite $(VENV)/bin/pyinstaller --noconfirm --log-level WARN sketch-classifier.spec
	@du -sh dist/sketch-classifier-lite

package-lite-smoke: system-libs
	@test -x dist/sketch-classifier-lite/sketch-classifier-lite || { echo "Run 'make package-lite' first."; exit 1; }
	$(PY) tests/benchmarks/smoke_package.py --lite

# (Re)write the bundled models' .tflite twins, verified, with their hashes in the JSON
# (after replacing resources/models/*.keras). Every trained model gets one anyway.
TWIN_MODELS ?= $(basename $(notdir $(wildcard resources/models/*.keras)))
twins: $(VENV)/.installed
	@for m in $(TWIN_MODELS); do \
	  $(PY) main.py export --model $$m --format tflite --out resources/models/$$m.tflite || exit 1; \
	done

$(VENV)/.installed-package: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[package]'
	touch $@ $(VENV)/.installed

# On Debian/Ubuntu: install Qt's libraries when root, else print the apt-get line.
system-libs:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(QT_DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      echo "Installing Qt's system libraries:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else \
	      echo "Qt needs these system libraries; please run:"; \
	      echo "  sudo apt-get install -y$$missing"; \
	      exit 1; \
	    fi; \
	  fi; \
	fi

clean:
	rm -rf build dist .pytest_cache
