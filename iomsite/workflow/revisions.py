"""Revisions: compare two versions field by field, restore one with its inline rows."""


def connect():
    pass
