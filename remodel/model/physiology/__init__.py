"""Physiology blocks of the model."""
