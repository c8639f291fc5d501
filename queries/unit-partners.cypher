// Who works with whom: the units named on the same measures as one unit ($unit, a name or
// alias), most shared measures first.
MATCH (u:Resource)
WHERE $unit IN (CASE WHEN u.prefLabel IS :: LIST<ANY> THEN u.prefLabel ELSE [u.prefLabel] END)
   OR $unit IN (CASE WHEN u.altLabel IS :: LIST<ANY> THEN u.altLabel ELSE [u.altLabel] END)
MATCH (u)<-[:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]-(m:Measure)-[q:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->(v:Resource)
WHERE u <> v AND u.prefLabel IS NOT NULL AND v.prefLabel IS NOT NULL
OPTIONAL MATCH (v)-[:JURISDICTION]->(j:Resource)
WITH u, v, j.label AS jurisdiction, count(DISTINCT m) AS shared,
     count(DISTINCT CASE WHEN type(q) = 'LEAD_UNIT' THEN m END) AS partner_leads
RETURN u.prefLabel AS unit, v.prefLabel AS partner, jurisdiction, shared, partner_leads
ORDER BY shared DESC, partner_leads DESC, unit, partner, coalesce(jurisdiction, '')
