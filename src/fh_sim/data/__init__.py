"""Embedded data sets and the scripts that build them."""
