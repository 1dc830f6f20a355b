-- The audit log (安全审计): sign-ins (succeeded or failed), lockouts, sign-outs and administrators' actions, with who,
-- from where and when. Appended only; read by administrators.
CREATE TABLE kp_audit
(
    id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    outcome   TEXT    NOT NULL,
    address   TEXT    NOT NULL,
    detail    TEXT    NOT NULL
);
CREATE INDEX ix_kp_audit_actor ON kp_audit (actor, id);
CREATE INDEX ix_kp_audit_kind ON kp_audit (kind, id);
