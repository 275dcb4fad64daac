"""Shared definitions of the policy language: units and legal number words.

These tables are data, read by the parser, the checker, the record converter and the
explanation renderer alike, and rendered into the documentation, so that the unit a
policy may write and the unit a record may carry are one list.
"""
