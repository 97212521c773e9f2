"""Prefect flows, the HTTP fetcher, notification delivery, settings and the `rasid` CLI.

The flows are thin: each task calls plain functions from `storage` and `extractors`.
"""
