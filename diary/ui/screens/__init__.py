"""Screens shown while the diary is locked: create, recovery key, unlock."""
