"""Benefits: applications, eligibility computed by the rulebook, administrative decisions approved by two people."""
