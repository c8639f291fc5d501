// Every measure one unit is named for. $unit matches the unit's name or any alias, so 区教委
// finds 区教育委员会 in each district. A property holding one value is a scalar, several a list.
MATCH (u:Resource)
WHERE $unit IN (CASE WHEN u.prefLabel IS :: LIST<ANY> THEN u.prefLabel ELSE [u.prefLabel] END)
   OR $unit IN (CASE WHEN u.altLabel IS :: LIST<ANY> THEN u.altLabel ELSE [u.altLabel] END)
MATCH (m:Measure)-[r:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->(u)
WHERE u.prefLabel IS NOT NULL
OPTIONAL MATCH (u)-[:JURISDICTION]->(j:Resource)
OPTIONAL MATCH (m)-[:IN_DOCUMENT]->(d:Resource)
WITH u, j, m, d, r, split(d.uri, '/id/doc/')[1] AS doc_id
RETURN DISTINCT u.prefLabel AS unit, j.label AS jurisdiction,
       CASE type(r) WHEN 'LEAD_UNIT' THEN 'lead' WHEN 'SUPPORT_UNIT' THEN 'support' ELSE 'responsible' END AS role,
       doc_id, coalesce(d.title, doc_id) AS document, m.key AS key, m.title AS measure,
       m.deadline AS deadline, m.deadlineYear AS deadline_year
ORDER BY coalesce(jurisdiction, ''), unit, coalesce(doc_id, ''), size(coalesce(key, '')), coalesce(key, ''), role
