"""The registry is deliberately not in Django admin.

Persons, households and memberships are personal data: every view must be logged and every change
must go through the registry services (validation, duplicate checks, before/after audit), scoped
to the user's centre. Django admin would bypass all three, so registry records are reached only
through the Socius UI and API, including by superusers.
"""
