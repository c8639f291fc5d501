// One target subject (e.g. 学前三年毛入园率) compared across documents and jurisdictions.
// With $subject empty: every subject that more than one document sets a target for;
// otherwise every subject containing it.
// one pass over the indicators, grouped by subject (a second MATCH on i.subject = subject
// scanned every indicator once per subject)
MATCH (i:Indicator)-[:IN_DOCUMENT]->(d:Resource)
WHERE i.subject IS NOT NULL
WITH i.subject AS subject, collect([i, d]) AS pairs, count(DISTINCT d) AS docs
WHERE CASE WHEN $subject = '' THEN docs > 1 ELSE subject CONTAINS $subject END
UNWIND pairs AS pair
WITH subject, pair[0] AS i, pair[1] AS d
OPTIONAL MATCH (d)-[:SPATIAL]->(j:Resource)
WITH DISTINCT subject, j.label AS jurisdiction, coalesce(d.title, split(d.uri, '/id/doc/')[1]) AS document,
     i.operator AS operator, i.value AS value, i.valueMax AS value_max, i.unit AS unit, i.targetYear AS year
RETURN subject, jurisdiction, document, operator, value, value_max, unit, year
ORDER BY subject, coalesce(jurisdiction, ''), document, coalesce(year, 0), coalesce(value, -1),
         coalesce(value_max, -1), coalesce(unit, ''), coalesce(operator, '')
