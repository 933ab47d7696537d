-- 0006: the state's secret key, 32 random bytes in hex. It keys the
-- fingerprints of sensitive values in definitions and plans, and the MAC of
-- saved plan files, so that a fingerprint cannot be checked offline against
-- guesses and a plan file cannot be made or edited without the state. It is
-- never printed and never leaves the store. SQLite's randomblob draws from
-- its ChaCha20 generator, seeded from the operating system's randomness.
INSERT INTO meta (key, value) VALUES ('secret_key', lower(hex(randomblob(32))));
