-- Hub schema, version 4: attributes' definitions, sets and saved searches
-- travel as entities of their own (an article's values and sets are in its
-- state).
ALTER TABLE change DROP CONSTRAINT change_kind_check;
ALTER TABLE change ADD CONSTRAINT change_kind_check
    CHECK (kind IN ('article', 'claim', 'note', 'code', 'relation', 'verdict', 'attribute', 'set', 'search'));
