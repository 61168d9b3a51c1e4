"""The portal's refusals that the user can act on (the message is in Chinese)."""


class SubmissionError(Exception):
    """A change refused for a reason the user can fix."""


class LimitReached(SubmissionError):
    """A bound of submissions/limits.py reached: the form is shown again with the message."""
