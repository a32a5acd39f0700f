"""Drugs (agents) of the model."""
