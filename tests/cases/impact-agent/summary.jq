# One line per change: id, severity, lock, rewrite, seconds, rollback risk,
# then rule=severity for each finding.  The rules cases compare this.
.changes[] | .assessment as $a |
"\(.id) \($a.severity) lock=\($a.lock // "-") \($a.rewrite) secs=\($a.estimated_seconds // "-") rollback=\($a.rollback.risk) \([$a.findings[] | "\(.rule)=\(.severity)"] | join(","))"
