"""The individual proofreading checks; `bulletins.checks.run_checks` runs them all."""
