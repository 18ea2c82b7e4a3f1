-- Run once by the postgres image on an empty data directory: Temporal's two databases beside
-- WIR's own (POSTGRES_DB=wir). The schema inside them is set up by temporal/setup.sh.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
