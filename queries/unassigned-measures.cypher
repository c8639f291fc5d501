// Accountability gaps: measures that name no responsible unit at all.
MATCH (m:Measure)
WHERE NOT EXISTS { (m)-[:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->() }
OPTIONAL MATCH (m)-[:IN_DOCUMENT]->(d:Resource)
WITH DISTINCT m, d, split(d.uri, '/id/doc/')[1] AS doc_id
RETURN doc_id, coalesce(d.title, doc_id) AS document, m.key AS key, m.title AS measure,
       m.deadline AS deadline, m.schoolConstruction AS school_construction
ORDER BY coalesce(doc_id, ''), size(coalesce(key, '')), coalesce(key, ''), coalesce(measure, '')
