-- Dossier notebook schema, version 17: a team's own certificate authority.
--
-- `team.ca`: the PEM certificates a hub's TLS certificate is checked against
-- when the team runs its own authority (given at `team join --ca FILE`);
-- NULL: the public authorities built into Dossier.
ALTER TABLE team ADD COLUMN ca TEXT;
