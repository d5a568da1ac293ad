"""Zhouqiao."""
