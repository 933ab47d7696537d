-- 0006: the state's secret key, 32 random bytes in hex (see
-- migrations/0006_secret_key.sql). gen_random_uuid draws from the server's
-- strong random source (pg_strong_random); two version-4 UUIDs give 32
-- bytes of which 244 bits are random, without the pgcrypto extension.
INSERT INTO meta (key, value)
VALUES ('secret_key', replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''));
