// One target subject (e.g. 学前三年毛入园率) compared across documents and jurisdictions.
// With $subject empty: every subject that more than one document sets a target for;
// otherwise every subject containing it.
MATCH (ii:Indicator)-[:IN_DOCUMENT]->(dd:Resource)
WHERE ii.subject IS NOT NULL
WITH ii.subject AS subject, count(DISTINCT dd) AS docs
WHERE CASE WHEN $subject = '' THEN docs > 1 ELSE subject CONTAINS $subject END
MATCH (i:Indicator)-[:IN_DOCUMENT]->(d:Resource)
WHERE i.subject = subject
OPTIONAL MATCH (d)-[:SPATIAL]->(j:Resource)
WITH DISTINCT subject, j.label AS jurisdiction, coalesce(d.title, split(d.uri, '/id/doc/')[1]) AS document,
     i.operator AS operator, i.value AS value, i.valueMax AS value_max, i.unit AS unit, i.targetYear AS year
RETURN subject, jurisdiction, document, operator, value, value_max, unit, year
ORDER BY subject, coalesce(jurisdiction, ''), document, coalesce(year, 0), coalesce(value, -1),
         coalesce(value_max, -1), coalesce(unit, ''), coalesce(operator, '')
