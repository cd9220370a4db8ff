"""Dask's INFO logs stay hidden unless imu logs INFO (``imu -v batch`` / ``imu batch -v``)."""

from __future__ import annotations

import logging

import pytest

from imu.batch import DASK_LOGGERS, _quiet_dask_logs
from imu.cli._args import OneLineParser


@pytest.fixture
def restore_levels():
    names = ("", *DASK_LOGGERS)
    saved = {n: logging.getLogger(n).level for n in names}
    yield
    for n, level in saved.items():
        logging.getLogger(n).setLevel(level)


@pytest.mark.parametrize(("root", "expected"), [(logging.WARNING, logging.WARNING),
                                                (logging.INFO, logging.INFO)])
def test_dask_info_hidden_unless_info_is_wanted(restore_levels, root, expected):
    logging.getLogger().setLevel(root)
    for name in DASK_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)  # what distributed sets at import
    _quiet_dask_logs()
    assert {logging.getLogger(n).level for n in DASK_LOGGERS} == {expected}


def test_batch_accepts_verbose_after_the_command():
    from imu.cli import build_parser

    parser = build_parser("batch")
    assert isinstance(parser, OneLineParser)
    assert parser.parse_args(["batch", "x", "--out", "d", "--verbose"]).verbose == 1
    assert parser.parse_args(["-v", "batch", "x", "--out", "d"]).verbose == 1
    assert parser.parse_args(["batch", "x", "--out", "d"]).verbose == 0
