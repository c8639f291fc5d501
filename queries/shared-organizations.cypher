// Organizations that more than one document mentions (as subject or object of any fact in
// the document's named graph: the loader lists those graphs in kg_graphs), with the documents
// and the measures they are named for.
MATCH (o:Organization)
WHERE o.prefLabel IS NOT NULL AND size(coalesce(o.kg_graphs, [])) > 1
// each document states the organization's place and type again: take them as sets, or the
// copies multiply each other (documents squared rows per organization)
UNWIND coalesce(nullif(COLLECT { MATCH (o)-[:JURISDICTION]->(j:Resource) RETURN DISTINCT j.label }, []), [null])
  AS jurisdiction
UNWIND coalesce(nullif(COLLECT { MATCH (o)-[:CLASSIFICATION]->(c:Resource) RETURN DISTINCT split(c.uri, '#')[1] }, []),
                [null]) AS org_type
WITH DISTINCT o, jurisdiction, org_type
RETURN o.prefLabel AS organization, jurisdiction, org_type, size(o.kg_graphs) AS documents,
       [g IN o.kg_graphs | split(g, '/id/graph/doc/')[1]] AS doc_ids,
       COUNT { MATCH (m:Measure)-[:LEAD_UNIT|SUPPORT_UNIT|RESPONSIBLE_UNIT]->(o) RETURN DISTINCT m } AS measures
ORDER BY documents DESC, measures DESC, organization, coalesce(jurisdiction, ''), coalesce(org_type, '')
