"""Attaché: the project package (folder `site/`, imported as `attache`)."""
