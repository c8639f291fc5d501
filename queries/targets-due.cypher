// Targets (numeric indicators) falling due in one year, with what they measure, the promised
// value and unit, and the document and measure that promise them.
MATCH (i:Indicator)
WHERE i.targetYear = $year
OPTIONAL MATCH (i)-[:IN_DOCUMENT]->(d:Resource)
OPTIONAL MATCH (d)-[:SPATIAL]->(j:Resource)
OPTIONAL MATCH (i)-[:MEASURE]->(m:Resource)
RETURN DISTINCT i.subject AS subject, i.operator AS operator, i.value AS value, i.valueMax AS value_max,
       i.unit AS unit, i.targetYear AS year, j.label AS jurisdiction,
       coalesce(d.title, split(d.uri, '/id/doc/')[1]) AS document, m.title AS measure
ORDER BY coalesce(jurisdiction, ''), coalesce(document, ''), coalesce(subject, ''), coalesce(value, -1), coalesce(value_max, -1),
         coalesce(unit, ''), coalesce(operator, ''), coalesce(measure, '')
