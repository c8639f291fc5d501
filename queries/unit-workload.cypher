// Units ranked by every measure they are named for, lead vs support, with how many of
// those are school construction and how many documents they span.
MATCH (m:Measure)-[r:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->(u:Resource)
WHERE u.prefLabel IS NOT NULL
OPTIONAL MATCH (u)-[:JURISDICTION]->(j:Resource)
OPTIONAL MATCH (m)-[:IN_DOCUMENT]->(d:Resource)
WITH u.prefLabel AS unit, j.label AS jurisdiction, m, d, type(r) AS rel
RETURN unit, jurisdiction,
       count(DISTINCT CASE WHEN rel = 'LEAD_UNIT' THEN m END) AS lead,
       count(DISTINCT CASE WHEN rel = 'SUPPORT_UNIT' THEN m END) AS support,
       count(DISTINCT CASE WHEN rel = 'RESPONSIBLE_UNIT' THEN m END) AS responsible,
       count(DISTINCT m) AS total,
       count(DISTINCT CASE WHEN m.schoolConstruction = true THEN m END) AS school_construction,
       count(DISTINCT d) AS documents
ORDER BY total DESC, lead DESC, support DESC, unit, coalesce(jurisdiction, '')
