"""The HTML report (see build.py)."""

from snellen.report.build import RunInput, build_report, write_report

__all__ = ["RunInput", "build_report", "write_report"]
