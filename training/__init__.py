"""Sketch Classifier's compute side: data, preprocessing, models, training, prediction.

Nothing here imports Qt. Importing this package imports nothing else: callers import
the module they need (``training.job``, ``training.predictor``...), and only the
modules that run models (``keras_hooks``, ``predictor``, and ``trainer``, ``models``
and ``summary`` when they build or load one) load TensorFlow, so the GUI can show its
window before TensorFlow is loaded.
"""

import os

# TensorFlow reads this once, when it is first imported, and every module here that
# imports it (directly or through Keras or LiteRT) is inside this package: setting it
# here, before any of them, keeps TensorFlow's C++ start-up chatter off stderr for the
# command line and the GUI alike. A value the user set is kept.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
