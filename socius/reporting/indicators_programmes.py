"""Indicators of benefits, payments, family support, child protection, community work and services for the monthly
activity report (issue 12)."""
