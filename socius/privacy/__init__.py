"""Data-subject rights (GDPR/RODO): subject-access exports, retention and anonymisation, the register of
processing activities and the breach log (issue 13). Sits above reporting: it reads every domain app."""
