"""The government work reports with standoff gold: year -> builder (text -> gold dict).

Each report's annotations live in its own module, gwr_<year>.py.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gwr_2019
import gwr_2021
import gwr_2022
import gwr_2023
import gwr_2024
import gwr_2025

REPORTS: dict[int, Callable[[str], dict[str, Any]]] = {
    2019: gwr_2019.build, 2021: gwr_2021.build, 2022: gwr_2022.build,
    2023: gwr_2023.build, 2024: gwr_2024.build, 2025: gwr_2025.build,
}
