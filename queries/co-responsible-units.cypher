// Pairs of units named on the same measures (co-responsibility), most shared first. Each pair
// appears once: unit_a sorts before unit_b (by name, then by IRI for namesakes).
MATCH (a:Resource)<-[:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]-(m:Measure)-[:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->(b:Resource)
WHERE a.prefLabel IS NOT NULL AND b.prefLabel IS NOT NULL
  AND (a.prefLabel < b.prefLabel OR (a.prefLabel = b.prefLabel AND a.uri < b.uri))
OPTIONAL MATCH (a)-[:JURISDICTION]->(j:Resource)
WITH a, b, j.label AS jurisdiction, count(DISTINCT m) AS shared,
     count(DISTINCT CASE WHEN m.schoolConstruction = true THEN m END) AS school_construction
WHERE shared >= $min_shared
RETURN a.prefLabel AS unit_a, b.prefLabel AS unit_b, jurisdiction, shared, school_construction
ORDER BY shared DESC, school_construction DESC, unit_a, unit_b, coalesce(jurisdiction, '')
