"""``python -m imu`` runs the command line."""

import sys

from imu.cli import main

sys.exit(main())
