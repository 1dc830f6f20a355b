-- The audit log (安全审计): sign-ins (succeeded or failed), lockouts, sign-outs and administrators' actions, with who,
-- from where and when. Appended only; read by administrators.
CREATE TABLE kp_audit
(
    id        bigserial    NOT NULL PRIMARY KEY,
    at        bigint       NOT NULL,
    actor     varchar(256) NOT NULL,
    kind      varchar(64)  NOT NULL,
    subject   varchar(256) NOT NULL,
    outcome   varchar(16)  NOT NULL,
    address   varchar(64)  NOT NULL,
    detail    text         NOT NULL
);
CREATE INDEX ix_kp_audit_actor ON kp_audit (actor, id);
CREATE INDEX ix_kp_audit_kind ON kp_audit (kind, id);
