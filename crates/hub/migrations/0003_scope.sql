-- Hub schema, version 3: selective sync. A pull with a scope of codes asks,
-- for each article in the page, whether a claim on it has one of the codes;
-- this index finds an article's claims without reading every claim.
CREATE INDEX entity_claim_article ON entity ((state->>'article_id')) WHERE kind = 'claim';
