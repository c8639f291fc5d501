// Named school construction projects (新建/改扩建/迁建 …) with their measure and the units
// leading it. $action (optional) keeps one kind of work, e.g. 新建.
MATCH (s:SchoolConstructionProject)
WHERE $action = '' OR coalesce(s.action = $action, false)
OPTIONAL MATCH (s)-[:IN_DOCUMENT]->(d:Resource)
OPTIONAL MATCH (d)-[:SPATIAL]->(j:Resource)
OPTIONAL MATCH (s)-[:MEASURE]->(m:Resource)
WITH DISTINCT s, m, j.label AS jurisdiction, coalesce(d.title, split(d.uri, '/id/doc/')[1]) AS document
RETURN jurisdiction, document, s.label AS project, s.action AS action, m.title AS measure,
       COLLECT { MATCH (m)-[:LEAD_UNIT]->(u:Resource) WHERE u.prefLabel IS NOT NULL RETURN DISTINCT u.prefLabel } AS lead
ORDER BY coalesce(jurisdiction, ''), coalesce(document, ''), coalesce(project, ''), coalesce(action, ''),
         coalesce(measure, '')
