-- ASP.NET Core data protection's key ring (what signs and encrypts sign-in cookies, bearer tokens and antiforgery
-- tokens): in the database, so every web host reads the same keys; each key's XML is encrypted with the certificate
-- named by KeyProjects:DataProtection:Certificate (required in Production).
CREATE TABLE kp_data_protection_keys
(
    friendly_name varchar(200) NOT NULL PRIMARY KEY,
    xml           text         NOT NULL,
    stored_at     bigint       NOT NULL
);
