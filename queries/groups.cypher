// Leading groups and working groups: kind, parent group, lead unit, office (办公室设在),
// leaders (组长), deputies (副组长) and member units or people. A group is anything classified
// leading_group/working_group/task_force, typed org:OrganizationalCollaboration, or holding memberships.
// Single-valued columns take min() so a stray second value cannot split the row.
MATCH (g:Resource)
WHERE g.prefLabel IS NOT NULL AND (
  g:OrganizationalCollaboration
  OR EXISTS { (g)-[:CLASSIFICATION]->(c:Resource) WHERE c.uri IN [
       'https://w3id.org/policy-kg/ontology#leading_group', 'https://w3id.org/policy-kg/ontology#working_group',
       'https://w3id.org/policy-kg/ontology#task_force'] }
  OR EXISTS { (:Resource)-[:ORGANIZATION]->(g) })
WITH g,
  COLLECT { MATCH (g)-[:CLASSIFICATION]->(c:Resource) RETURN split(c.uri, '#')[1] } AS kinds,
  COLLECT { MATCH (g)-[:JURISDICTION]->(j:Resource) WHERE j.label IS NOT NULL RETURN j.label } AS places,
  COLLECT { MATCH (g)-[:SUB_ORGANIZATION_OF]->(x:Resource) WHERE x.prefLabel IS NOT NULL RETURN x.prefLabel } AS parents,
  COLLECT { MATCH (g)-[:LEAD_UNIT]->(x:Resource) WHERE x.prefLabel IS NOT NULL RETURN x.prefLabel } AS leadUnits,
  COLLECT { MATCH (g)-[:OFFICE_IN]->(x:Resource) WHERE x.prefLabel IS NOT NULL RETURN x.prefLabel } AS offices,
  // from the group outwards: a scan of every node for each group took seconds at 10k documents
  COLLECT {
    MATCH (x:Resource)-[:HEAD_OF]->(g) WHERE coalesce(x.name, x.prefLabel) IS NOT NULL
    RETURN DISTINCT coalesce(x.name, x.prefLabel) } +
  COLLECT {
    MATCH (ms:Resource)-[:ORGANIZATION]->(g), (ms)-[:MEMBER]->(x:Resource),
          (ms)-[:ROLE]->(:Resource {uri: 'https://w3id.org/policy-kg/ontology#GroupLeader'})
    WHERE coalesce(x.name, x.prefLabel) IS NOT NULL
    RETURN DISTINCT coalesce(x.name, x.prefLabel) } AS leaders,
  COLLECT {
    MATCH (ms:Resource)-[:ORGANIZATION]->(g), (ms)-[:MEMBER]->(x:Resource),
          (ms)-[:ROLE]->(:Resource {uri: 'https://w3id.org/policy-kg/ontology#DeputyLeader'})
    WHERE coalesce(x.name, x.prefLabel) IS NOT NULL
    RETURN DISTINCT coalesce(x.name, x.prefLabel) } AS deputies,
  COLLECT {
    MATCH (ms:Resource)-[:ORGANIZATION]->(g), (ms)-[:MEMBER]->(x:Resource),
          (ms)-[:ROLE]->(:Resource {uri: 'https://w3id.org/policy-kg/ontology#GroupMember'})
    WHERE coalesce(x.name, x.prefLabel) IS NOT NULL
    RETURN DISTINCT coalesce(x.name, x.prefLabel) } AS members
WITH g.prefLabel AS `group`,
  reduce(m = null, v IN kinds | CASE WHEN m IS NULL OR v < m THEN v ELSE m END) AS kind,
  reduce(m = null, v IN places | CASE WHEN m IS NULL OR v < m THEN v ELSE m END) AS jurisdiction,
  reduce(m = null, v IN parents | CASE WHEN m IS NULL OR v < m THEN v ELSE m END) AS parent,
  reduce(m = null, v IN leadUnits | CASE WHEN m IS NULL OR v < m THEN v ELSE m END) AS lead_unit,
  reduce(m = null, v IN offices | CASE WHEN m IS NULL OR v < m THEN v ELSE m END) AS office,
  leaders, deputies, members
RETURN `group`, kind, jurisdiction, parent, lead_unit, office, leaders, deputies, members
ORDER BY coalesce(jurisdiction, ''), `group`
