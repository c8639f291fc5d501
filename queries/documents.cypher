// Documents by jurisdiction and issuer, with how many measures (and school-construction
// measures), targets and distinct responsible units each contains.
MATCH (d:PolicyDocument)
WITH d, split(d.uri, '/id/doc/')[1] AS doc_id
OPTIONAL MATCH (d)-[:SPATIAL]->(j:Resource)
WITH d, doc_id, j.label AS jurisdiction
RETURN doc_id, coalesce(d.title, doc_id) AS document, jurisdiction,
       toString(coalesce(d.issued, d.created)) AS issued,
       COLLECT { MATCH (d)-[:PUBLISHER]->(o:Resource) WHERE o.prefLabel IS NOT NULL RETURN DISTINCT o.prefLabel } AS issuers,
       COUNT { MATCH (m:Measure)-[:IN_DOCUMENT]->(d) RETURN DISTINCT m } AS measures,
       COUNT { MATCH (m:Measure)-[:IN_DOCUMENT]->(d) WHERE m.schoolConstruction = true RETURN DISTINCT m } AS school_construction,
       COUNT { MATCH (i:Indicator)-[:IN_DOCUMENT]->(d) RETURN DISTINCT i } AS indicators,
       COUNT { MATCH (m:Measure)-[:IN_DOCUMENT]->(d), (m)-[:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->(u:Resource)
               RETURN DISTINCT u } AS units
ORDER BY coalesce(jurisdiction, ''), coalesce(issued, ''), doc_id
