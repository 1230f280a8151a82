"""Scoring (评分): weights, measurement, methods, indicators, projects and monitoring. No I/O."""
