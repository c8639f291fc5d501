// When the work falls due: measures per deadline year (from deadlines as written, e.g.
// 2025年底前 or “十四五”末), with school construction, documents and targets due that year.
MATCH (m:Measure)
WHERE m.deadlineYear IS NOT NULL
OPTIONAL MATCH (m)-[:IN_DOCUMENT]->(d:Resource)
WITH m.deadlineYear AS year, count(DISTINCT m) AS measures,
     count(DISTINCT CASE WHEN m.schoolConstruction = true THEN m END) AS school_construction,
     count(DISTINCT d) AS documents
RETURN year, measures, school_construction, documents,
       COUNT { MATCH (i:Indicator) WHERE i.targetYear = year RETURN DISTINCT i } AS targets
ORDER BY year
