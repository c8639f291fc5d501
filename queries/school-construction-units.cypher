// Units ranked by the school-construction measures they are named for; a unit named both
// lead and support on one measure counts once in each column but once in total.
MATCH (m:Measure)-[r:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->(u:Resource)
WHERE m.schoolConstruction = true AND u.prefLabel IS NOT NULL
OPTIONAL MATCH (u)-[:JURISDICTION]->(j:Resource)
WITH u.prefLabel AS unit, j.label AS jurisdiction, m, type(r) AS rel
RETURN unit, jurisdiction,
       count(DISTINCT CASE WHEN rel = 'LEAD_UNIT' THEN m END) AS lead,
       count(DISTINCT CASE WHEN rel = 'SUPPORT_UNIT' THEN m END) AS support,
       count(DISTINCT CASE WHEN rel = 'RESPONSIBLE_UNIT' THEN m END) AS responsible,
       count(DISTINCT m) AS total
ORDER BY total DESC, lead DESC, support DESC, unit, coalesce(jurisdiction, '')
