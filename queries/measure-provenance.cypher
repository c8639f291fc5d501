// The source quote behind every fact about one measure: the measure itself, each unit named
// for it (with its role), its targets and its school projects. $measure matches the measure's
// key exactly or a fragment of its title; $document (optional) a document id or a fragment of
// its title. Facts without a recorded source still appear, with no quote.
MATCH (m:Measure)
WHERE coalesce(m.key = $measure, false) OR coalesce(m.title CONTAINS $measure, false)
OPTIONAL MATCH (m)-[:IN_DOCUMENT]->(d:Resource)
WITH m, d, split(d.uri, '/id/doc/')[1] AS doc_id
WHERE $document = '' OR coalesce(doc_id = $document, false) OR coalesce(d.title CONTAINS $document, false)
CALL (m) {
  OPTIONAL MATCH (m)-[:EVIDENCE]->(ev:Resource)
  RETURN 'measure' AS fact, m.title AS value, ev
  UNION
  MATCH (m)-[:HAS_RESPONSIBILITY]->(r:Resource)-[:ROLE]->(role:Resource)
  OPTIONAL MATCH (r)-[:UNIT]->(u:Resource)
  OPTIONAL MATCH (r)-[:EVIDENCE]->(ev:Resource)
  RETURN toLower(replace(split(role.uri, '#')[1], 'Role', '')) AS fact, coalesce(u.prefLabel, r.mention) AS value, ev
  UNION
  MATCH (i:Indicator)-[:MEASURE]->(m)
  OPTIONAL MATCH (i)-[:EVIDENCE]->(ev:Resource)
  RETURN 'indicator' AS fact, i.subject AS value, ev
  UNION
  MATCH (s:SchoolConstructionProject)-[:MEASURE]->(m)
  OPTIONAL MATCH (s)-[:EVIDENCE]->(ev:Resource)
  RETURN 'school' AS fact, s.label AS value, ev
}
OPTIONAL MATCH (ev)-[:HAS_SELECTOR]->(sel:Resource)
RETURN DISTINCT doc_id, m.key AS key, m.title AS measure, fact, value, sel.exact AS exact,
       sel.start AS start, sel.`end` AS `end`
ORDER BY coalesce(doc_id, ''), size(coalesce(key, '')), coalesce(key, ''), coalesce(start, -1),
         coalesce(`end`, -1), fact, coalesce(value, ''), coalesce(exact, '')
