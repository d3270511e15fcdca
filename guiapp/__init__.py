"""The Qt desktop app: windows, widgets and workers (no training or model building here).

Importing this package is cheap on purpose: TensorFlow is only ever imported by the
model-loading worker thread, after the window is on screen.
"""
