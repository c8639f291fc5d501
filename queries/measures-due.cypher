// Measures falling due in one year, with who leads, supports or is responsible for each.
MATCH (m:Measure)
WHERE m.deadlineYear = $year
OPTIONAL MATCH (m)-[:IN_DOCUMENT]->(d:Resource)
OPTIONAL MATCH (d)-[:SPATIAL]->(j:Resource)
WITH DISTINCT m, d, j.label AS jurisdiction, split(d.uri, '/id/doc/')[1] AS doc_id
RETURN jurisdiction, doc_id, coalesce(d.title, doc_id) AS document, m.key AS key, m.title AS measure,
       m.deadline AS deadline,
       COLLECT { MATCH (m)-[:LEAD_UNIT]->(u:Resource) WHERE u.prefLabel IS NOT NULL RETURN DISTINCT u.prefLabel } AS lead,
       COLLECT { MATCH (m)-[:SUPPORT_UNIT]->(u:Resource) WHERE u.prefLabel IS NOT NULL RETURN DISTINCT u.prefLabel } AS support,
       COLLECT { MATCH (m)-[:RESPONSIBLE_UNIT]->(u:Resource) WHERE u.prefLabel IS NOT NULL RETURN DISTINCT u.prefLabel } AS responsible
ORDER BY coalesce(jurisdiction, ''), coalesce(doc_id, ''), size(coalesce(key, '')), coalesce(key, ''), coalesce(measure, '')
