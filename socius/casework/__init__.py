"""Casework: contacts (citizens heard), cases, their timeline, assignment, visits, activities, referrals."""
