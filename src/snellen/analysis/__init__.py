"""Acuity analysis of score tables: intervals, psychometric fits, acuity, taxonomy, comparisons.

Input is only the score DataFrame of the scoring contract (frame.py); see each module's docstring
for the exact definitions (psychometric.py explains why the fit is written here, not psignifit).
"""
