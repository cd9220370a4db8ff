"""Signal processing and rep segmentation: numpy and scipy only, no pandas, no asyncio.

The entry point is :class:`imu.core.analyzer.RepAnalyzer`, one causal analyzer for live
streams and offline files, composed of small steps (see its module docstring).
"""

from imu.core.analyzer import AnalyzerParams, RepAnalyzer, analyze_arrays
from imu.core.metrics import SWING_FEATURES, Rep, TempoTolerance

__all__ = [
    "SWING_FEATURES",
    "AnalyzerParams",
    "Rep",
    "RepAnalyzer",
    "TempoTolerance",
    "analyze_arrays",
]
