"""A report's chart as a PNG, drawn with matplotlib's Agg backend off the event loop.

``Figure`` + ``FigureCanvasAgg`` are used directly, not ``pyplot``: no global figure state, so
charts drawn in parallel threads never share anything.
"""

from __future__ import annotations

import asyncio
import io

from core.i18n import T
from core.reports.base import Chart

WIDTH, HEIGHT, DPI = 8.0, 4.5, 100
MAX_LABELS = 16  # more ticks than this are thinned so the dates stay readable


async def render_png(chart: Chart, t: T, title: str) -> bytes:
    """PNG bytes of ``chart`` (series names and, when asked, labels translated with ``t``)."""
    labels = [
        t(chart.label_prefix + label) if chart.label_prefix else label for label in chart.labels
    ]
    series = {t(key, **chart.args): values for key, values in chart.series.items()}
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, draw, chart.kind, labels, series, title, chart.stacked)


def draw(
    kind: str, labels: list[str], series: dict[str, list[float]], title: str, stacked: bool
) -> bytes:
    """The synchronous drawing (runs in a worker thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(title)
    positions = list(range(len(labels)))
    if not labels:
        axes.text(0.5, 0.5, "—", ha="center", va="center", fontsize=28, transform=axes.transAxes)
        axes.set_axis_off()
    elif kind == "barh":
        for name, values in series.items():
            axes.barh(positions, values, label=name)
        axes.set_yticks(positions, labels)
    elif kind == "line":
        for name, values in series.items():
            axes.plot(positions, values, marker="o", label=name)
        _x_labels(axes, positions, labels)
    else:
        _bars(axes, positions, series, stacked)
        _x_labels(axes, positions, labels)
    if labels and series:
        axes.legend(loc="best", fontsize="small")
        axes.grid(axis="x" if kind == "barh" else "y", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _bars(
    axes: object, positions: list[int], series: dict[str, list[float]], stacked: bool
) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    count = max(len(series), 1)
    width = 0.8 if stacked else 0.8 / count
    bottom = [0.0] * len(positions)
    for i, (name, values) in enumerate(series.items()):
        if stacked:
            axes.bar(positions, values, width, bottom=bottom, label=name)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        else:
            shifted = [p - 0.4 + width * (i + 0.5) for p in positions]
            axes.bar(shifted, values, width, label=name)


def _x_labels(axes: object, positions: list[int], labels: list[str]) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    step = max(1, -(-len(labels) // MAX_LABELS))
    axes.set_xticks(
        positions[::step], labels[::step], rotation=45 if step > 1 or len(labels) > 8 else 0
    )
