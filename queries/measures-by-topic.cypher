// Measures per topic of the SKOS topic scheme (loaders/topics.toml), with the school-
// construction share, the documents and the units involved. A measure may have several topics.
MATCH (m:Measure)-[:SUBJECT]->(t:Resource)
WITH DISTINCT m, split(t.uri, '/id/topic/')[1] AS topic
OPTIONAL MATCH (m)-[:IN_DOCUMENT]->(d:Resource)
OPTIONAL MATCH (m)-[:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->(u:Resource)
RETURN topic, count(DISTINCT m) AS measures,
       count(DISTINCT CASE WHEN m.schoolConstruction = true THEN m END) AS school_construction,
       count(DISTINCT d) AS documents, count(DISTINCT u) AS units
ORDER BY measures DESC, topic
