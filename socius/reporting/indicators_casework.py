"""Indicators of casework for the monthly activity report (issue 12): citizens heard, home visits, cases opened
and closed by circumstance, social contracts signed and breached, referrals sent and answered."""
