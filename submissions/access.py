"""Who is a correspondent, and of which unit: the one rule every portal view and workflow step uses."""

REPORT = "submissions.report_submission"
HANDLE = "submissions.handle_submission"


def correspondent_unit_id(user):
    """The unit id a signed-in correspondent reports for, or None for everyone else.

    Staff never act as correspondents, even a superuser who holds every permission.
    """
    if not (user.is_authenticated and user.is_active) or user.is_staff or not user.reporting_unit_id:
        return None
    return user.reporting_unit_id if user.has_perm(REPORT) else None


def may_handle(user):
    """Editors, reviewers and signers handle the inbox (adopt, reject, return)."""
    return user.is_active and user.is_staff and user.has_perm(HANDLE)
