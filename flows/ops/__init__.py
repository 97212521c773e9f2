"""Running rasid unattended: the local Prefect server and its defaults, serve, crashed-run handling, logs, doctor."""
