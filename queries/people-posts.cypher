// People with the posts they hold and the groups they lead (组长, by membership role or
// org:headOf) or deputise (副组长). The runner sorts the lists, as the SPARQL side needs.
MATCH (p:Person)
WHERE p.name IS NOT NULL
RETURN p.name AS person,
       COLLECT { MATCH (p)-[:HOLDS]->(post:Resource) WHERE post.label IS NOT NULL RETURN DISTINCT post.label } AS posts,
       COLLECT {
         MATCH (g:Resource) WHERE g.prefLabel IS NOT NULL AND (
           EXISTS { (p)-[:HEAD_OF]->(g) } OR
           EXISTS { (ms:Resource)-[:MEMBER]->(p), (ms)-[:ORGANIZATION]->(g),
                    (ms)-[:ROLE]->(:Resource {uri: 'https://w3id.org/policy-kg/ontology#GroupLeader'}) })
         RETURN DISTINCT g.prefLabel } AS leads,
       COLLECT {
         MATCH (ms:Resource)-[:MEMBER]->(p), (ms)-[:ORGANIZATION]->(g:Resource),
               (ms)-[:ROLE]->(:Resource {uri: 'https://w3id.org/policy-kg/ontology#DeputyLeader'})
         WHERE g.prefLabel IS NOT NULL
         RETURN DISTINCT g.prefLabel } AS deputy_of
ORDER BY person
