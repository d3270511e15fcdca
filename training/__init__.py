"""Sketch Classifier's compute side: data, preprocessing, models, training, prediction.

Nothing here imports Qt. Importing this package imports nothing else: callers import
the module they need (``training.job``, ``training.predictor``...), and only the
modules that run models (``keras_hooks``, ``predictor``, and ``trainer``, ``models``
and ``summary`` when they build or load one) load TensorFlow, so the GUI can show its
window before TensorFlow is loaded.
"""
