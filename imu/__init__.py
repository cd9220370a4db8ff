"""Analyse core-exercise reps from a hip-worn IMU.

Subpackages, one job each (dependencies point downwards in this list):

- :mod:`imu.cli`     command line (the only place that prints)
- :mod:`imu.report`  pandas tables, plots and HTML reports
- :mod:`imu.ble`     BLE scanning, connection and streaming (asyncio lives here)
- :mod:`imu.core`    numpy/scipy signal processing and rep segmentation
- :mod:`imu.sim`     ground-truth session simulator (never imports :mod:`imu.core`)
- :mod:`imu.io`      recordings: read, write, import, export
- :mod:`imu.frames`  column names and the sign convention of the coordinate frames
- :mod:`imu.errors`  the one exception hierarchy
"""

__version__ = "0.1.0"
